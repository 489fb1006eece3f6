"""Render and keep the PDF of every signed synthesis that has none kept yet.

The syntheses signed before PDFs were kept (migration 0006) have theirs rendered on
their first download; this renders them ahead of time, after a deploy, so that no
download waits for it. One synthesis at a time, each in its own short transaction
(`keep_signed_pdf`); running it again, or beside the web servers, is harmless.
"""

from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef

from synthesis.models import SignedPdf, Status, Synthesis, SynthesisError
from synthesis.pdf import keep_signed_pdf


class Command(BaseCommand):
    help = "Rend et conserve le PDF des synthèses signées qui n’en ont pas encore."

    def handle(self, *args, **options):
        kept = SignedPdf.objects.filter(
            synthesis=OuterRef("pk"),
            version__number=OuterRef("version"),
            with_personal_situation=True,
        )
        missing = (
            Synthesis.objects.filter(status=Status.SIGNED)
            .exclude(Exists(kept))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        done = 0
        for pk in missing.iterator():
            try:
                keep_signed_pdf(synthesis=Synthesis(pk=pk))
            except SynthesisError:
                continue  # reopened or destroyed meanwhile: nothing to keep
            done += 1
            if done % 100 == 0:
                self.stdout.write(f"{done} PDF rendu(s)")
        self.stdout.write(self.style.SUCCESS(f"Terminé : {done} PDF rendu(s) et conservé(s)."))

"""Re-encrypt section 2.5 of every synthesis version with the first key of SYNTHESIS_KEYS.

Rotation: put the new key first in SYNTHESIS_KEYS (keep the old one after it), run
this command, then remove the old key. Rows go in batches, each in its own
transaction, so a long run never holds many locks; running it again is harmless.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from synthesis.fields import UndecryptableError
from synthesis.models import SynthesisVersion

BATCH = 500


class Command(BaseCommand):
    help = "Rechiffre la partie 2.5 des synthèses avec la première clé de SYNTHESIS_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=BATCH)

    def handle(self, *args, batch: int, **options):
        rows = SynthesisVersion.objects.exclude(personal_situation="").order_by("pk")
        total, done, last_pk = rows.count(), 0, 0
        while True:
            with transaction.atomic():
                try:
                    # Reading decrypts with any key; saving encrypts with the first one.
                    chunk = list(
                        rows.filter(pk__gt=last_pk)
                        .select_for_update()
                        .values_list("pk", "personal_situation")[:batch]
                    )
                except UndecryptableError:
                    raise CommandError(
                        "Une partie 2.5 ne se déchiffre avec aucune clé de SYNTHESIS_KEYS : "
                        f"rien n’a changé après la version {last_pk}. Remettez l’ancienne clé "
                        "dans la liste, après la nouvelle."
                    ) from None
                if not chunk:
                    break
                for pk, text in chunk:
                    SynthesisVersion.objects.filter(pk=pk).update(personal_situation=text)
                done += len(chunk)
                last_pk = chunk[-1][0]
            self.stdout.write(f"{done}/{total} version(s) rechiffrée(s)")
        self.stdout.write(self.style.SUCCESS(f"Terminé : {done} version(s) rechiffrée(s)."))

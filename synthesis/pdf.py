"""
The synthesis as a PDF: the model of Annexe 2 on A4 (see bpp.printing).

A signed synthesis is frozen, and so is its PDF: it is rendered once and kept, encrypted
under the synthesis's key (`SignedPdf`), then only read. The copy with section 2.5 is
rendered right after the second signature is committed (`sign_synthesis`); any copy not
kept yet (the copy without 2.5, a synthesis signed before PDFs were kept, a render that
failed after the signature) is rendered the first time it is needed, under the
synthesis's row lock so that it is rendered once.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from synthesis.document import Document, build
from synthesis.models import SignedPdf, Synthesis, SynthesisError


def synthesis_pdf(document: Document) -> bytes:
    # WeasyPrint (20 MB) loads with the first PDF, not in every process that reads the
    # URLs: the tasks worker and the jobs do, to write their e-mails.
    from bpp.printing import render_pdf

    return render_pdf(
        "synthesis/pdf/synthesis.html", {"document": document}, stylesheet="synthesis"
    )


def _kept(synthesis: Synthesis, with_personal_situation: bool) -> bytes | None:
    """The PDF kept of the current version of `synthesis`, if any (one query)."""
    found = SignedPdf.objects.filter(
        synthesis=synthesis,
        version__number=synthesis.version,
        with_personal_situation=with_personal_situation,
    ).first()
    if found is None:
        return None
    found.synthesis = synthesis  # its data key, without reading it again
    return found.content


def kept_pdfs(syntheses: list[Synthesis]) -> dict[int, bytes]:
    """The PDFs with section 2.5 kept of the current versions of `syntheses`, by
    synthesis (one query); those not kept yet are left out."""
    by_pk = {synthesis.pk: synthesis for synthesis in syntheses}
    kept = {}
    for found in SignedPdf.objects.filter(
        synthesis__in=by_pk,
        version__number=F("synthesis__version"),
        with_personal_situation=True,
    ):
        found.synthesis = by_pk[found.synthesis_id]  # its data key, without reading it again
        kept[found.synthesis_id] = found.content
    return kept


def signed_pdf(synthesis: Synthesis, *, with_personal_situation: bool) -> bytes:
    """The PDF of the signed `synthesis`, as kept; rendered and kept if it is not yet."""
    kept = _kept(synthesis, with_personal_situation)
    if kept is not None:
        return kept
    return keep_signed_pdf(synthesis=synthesis, with_personal_situation=with_personal_situation)


def keep_signed_pdf(*, synthesis: Synthesis, with_personal_situation: bool = True) -> bytes:
    """Render the signed version of `synthesis` and keep it, unless it is kept already.

    Under the synthesis's row lock (and the unique constraint, on SQLite): of concurrent
    calls, one renders, the others read what it kept. SynthesisError if it is no longer
    signed (reopened or destroyed since it was read).
    """
    with transaction.atomic():
        locked = Synthesis.objects.select_for_update().get(pk=synthesis.pk)
        if not locked.is_signed:
            raise SynthesisError("Cette synthèse n’est plus signée.")
        kept = _kept(locked, with_personal_situation)
        if kept is not None:
            return kept
        version = locked.current()
        signatures = list(version.signatures.select_related("signer").order_by("signed_at"))
        content = synthesis_pdf(
            build(
                locked,
                version,
                header={},
                with_personal_situation=with_personal_situation,
                signatures=signatures,
            )
        )
        try:
            with transaction.atomic():
                SignedPdf.objects.create(
                    synthesis=locked,
                    version=version,
                    with_personal_situation=with_personal_situation,
                    rendered_at=timezone.now(),
                    content=content,
                )
        except IntegrityError:  # kept meanwhile (SQLite ignores the row lock)
            return _kept(locked, with_personal_situation)
    return content

"""The synthesis as a PDF: the model of Annexe 2 on A4 (see bpp.printing)."""

from bpp.printing import render_pdf
from synthesis.document import Document


def synthesis_pdf(document: Document) -> bytes:
    return render_pdf(
        "synthesis/pdf/synthesis.html", {"document": document}, stylesheet="synthesis"
    )

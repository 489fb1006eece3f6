"""Placeholder: the PDF export is being written (helper)."""


def synthesis_pdf(document) -> bytes:
    raise NotImplementedError

"""
The PDF of a signed version, rendered once and kept (see synthesis.pdf).

A signed document is frozen: its PDF is rendered when both have signed, then only read
(the page, the cohort's ZIP, the agent's data archive). It is content like any other,
encrypted under the data key of its synthesis: destroying the synthesis, or its key,
shreds it with the rest. One copy with section 2.5, for the agent and the leaders, and
one without, for those the agent shares with, each rendered the first time it is needed.
"""

from django.db import models

from synthesis.fields import EncryptedBinaryField
from synthesis.models.synthesis import Synthesis, SynthesisVersion


class SignedPdf(models.Model):
    synthesis = models.ForeignKey(
        Synthesis, verbose_name="synthèse", on_delete=models.CASCADE, related_name="signed_pdfs"
    )
    version = models.ForeignKey(
        SynthesisVersion,
        verbose_name="version signée",
        on_delete=models.CASCADE,
        related_name="signed_pdfs",
    )
    with_personal_situation = models.BooleanField("avec la situation personnelle (2.5)")
    rendered_at = models.DateTimeField("rendu le")
    content = EncryptedBinaryField("PDF")

    class Meta:
        verbose_name = "PDF d’une synthèse signée"
        verbose_name_plural = "PDF des synthèses signées"
        constraints = [
            models.UniqueConstraint(
                fields=["version", "with_personal_situation"], name="signed_pdf_once_per_copy"
            ),
        ]

    def __str__(self) -> str:
        return f"PDF signé de la synthèse {self.synthesis_id}, version {self.version_id}"

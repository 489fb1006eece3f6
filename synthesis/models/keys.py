from functools import cached_property

from cryptography.fernet import Fernet
from django.db import models

from synthesis.fields import unwrap


class SynthesisKey(models.Model):
    """The data key of one synthesis, wrapped with SYNTHESIS_KEYS (see synthesis.fields).

    A row of its own, so that destroying the synthesis is one DELETE of this row: every
    token of its content, wherever a copy survives, is then unreadable.
    """

    synthesis = models.OneToOneField(
        "synthesis.Synthesis",
        verbose_name="synthèse",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="key",
    )
    wrapped = models.TextField("clé de données, chiffrée par SYNTHESIS_KEYS")

    class Meta:
        verbose_name = "clé de données d’une synthèse"
        verbose_name_plural = "clés de données des synthèses"

    def __str__(self) -> str:
        return f"Clé de la synthèse {self.synthesis_id}"

    @cached_property
    def fernet(self) -> Fernet:
        return unwrap(self.wrapped)

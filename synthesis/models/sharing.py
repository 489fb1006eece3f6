"""
Who else may read a synthesis: the agent's consents, and the record of every read.

A consent is live until revoked; revoking takes effect on the next request. Every
read by anyone but the agent leaves an `AccessRecord` (who, when, on which basis,
under which consent) that the agent can see.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

from bpp.people.models import User
from synthesis.models.synthesis import Synthesis


class Basis(models.TextChoices):
    """On what ground someone reads a synthesis."""

    OWNER = "agent", "Vous-même"
    LEADER = "animateur", "Animateur de la promotion"
    PROVIDER = "prestataire", "Prestataire qui anime la promotion"
    FOLLOW_UP = "suivi", "Conseiller mobilité-carrière destinataire (suivi)"
    MANAGER = "manager", "Supérieur hiérarchique, avec votre accord"
    HR = "rh", "Service RH, avec votre accord"


class Audience(models.TextChoices):
    """Those the agent may choose to share the synthesis with."""

    MANAGER = Basis.MANAGER.value, "Mon supérieur hiérarchique"
    HR = Basis.HR.value, "Mon service des ressources humaines"


class ConsentQuerySet(models.QuerySet):
    def live(self) -> "ConsentQuerySet":
        return self.filter(revoked_at__isnull=True)


class Consent(models.Model):
    synthesis = models.ForeignKey(Synthesis, on_delete=models.CASCADE, related_name="consents")
    audience = models.CharField("destinataire", max_length=20, choices=Audience.choices)
    granted_at = models.DateTimeField("accordé le")
    revoked_at = models.DateTimeField("retiré le", null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = "accord de partage"
        verbose_name_plural = "accords de partage"
        ordering = ["synthesis", "-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["synthesis", "audience"],
                condition=Q(revoked_at__isnull=True),
                name="consent_one_live_per_audience",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=models.F("granted_at")),
                name="consent_revoked_after_granted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_audience_display()} ({self.synthesis})"


def grant(synthesis: Synthesis, audience: str, *, now: datetime.datetime | None = None) -> bool:
    """Give `audience` reading access; False if it already had it."""
    _, created = Consent.objects.get_or_create(
        synthesis=synthesis,
        audience=audience,
        revoked_at=None,
        defaults={"granted_at": now or timezone.now()},
    )
    return created


def revoke(synthesis: Synthesis, audience: str, *, now: datetime.datetime | None = None) -> bool:
    """Withdraw `audience`'s access at once; False if it had none."""
    return bool(
        Consent.objects.live()
        .filter(synthesis=synthesis, audience=audience)
        .update(revoked_at=now or timezone.now())
    )


class AccessRecord(models.Model):
    class Format(models.TextChoices):
        PAGE = "page", "Lecture à l’écran"
        PDF = "pdf", "Téléchargement du PDF"

    synthesis = models.ForeignKey(Synthesis, on_delete=models.CASCADE, related_name="reads")
    reader = models.ForeignKey(
        User, verbose_name="lecteur", on_delete=models.PROTECT, related_name="+"
    )
    read_at = models.DateTimeField("le", default=timezone.now)
    basis = models.CharField("à quel titre", max_length=20, choices=Basis.choices)
    consent = models.ForeignKey(
        Consent, verbose_name="accord", on_delete=models.SET_NULL, null=True, blank=True
    )
    format = models.CharField("forme", max_length=10, choices=Format.choices)

    class Meta:
        verbose_name = "lecture"
        ordering = ["synthesis", "-read_at", "-pk"]
        indexes = [models.Index(fields=["synthesis", "-read_at"], name="read_by_synthesis")]

    def __str__(self) -> str:
        return f"{self.reader} — {self.read_at:%d/%m/%Y %H:%M}"

"""
The tokens of the read API: one per HR information system of an employer, with scopes.

Only the SHA-256 of a token is kept (the token is 256 random bits: a fast hash is
enough), so it is shown once, when it is created; the prefix names it in lists.
"""

import datetime
import hashlib
import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone

from bpp.people.models import Organisation, User

TOKEN_PREFIX = "bpp_"
# The characters shown in lists to recognise a token: its prefix and 8 of its own.
SHOWN_LENGTH = len(TOKEN_PREFIX) + 8
# `last_used_at` is written at most this often: reading the API does not write each time.
LAST_USED_PRECISION = datetime.timedelta(hours=1)


class Scope(models.TextChoices):
    REQUESTS = "requests:read", "Demandes et décisions"
    COHORTS = "cohorts:read", "Promotions, inscriptions et émargements"
    INDICATORS = "indicators:read", "Indicateurs"


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A token that an HR information system of `organisation` sends as `Bearer`."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="employeur", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(
        "nom", max_length=100, help_text="Le système qui l’utilise : « SIRH Renoirh », par exemple."
    )
    # Space-separated `Scope` values.
    scopes = models.CharField("droits", max_length=200)
    prefix = models.CharField("début du jeton", max_length=SHOWN_LENGTH, editable=False)
    token_hash = models.CharField("empreinte du jeton", max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        User, verbose_name="créé par", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("créé le", default=timezone.now, editable=False)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, editable=False)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d’API"
        verbose_name_plural = "jetons d’API"
        ordering = ["organisation__name", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(scopes=""), name="api_token_has_a_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    def has_scope(self, scope: str) -> bool:
        return scope in self.scope_list

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def new_secret(self) -> str:
        """Give the (unsaved) token its secret and return it, the only time it is seen."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.prefix = token[:SHOWN_LENGTH]
        self.token_hash = self.hash(token)
        return token

    @classmethod
    def issue(
        cls, *, organisation: Organisation, name: str, scopes: list[str], by: User | None
    ) -> tuple["ApiToken", str]:
        """A new token of `organisation` and its secret, shown once."""
        api_token = cls(
            organisation=organisation, name=name, scopes=" ".join(scopes), created_by=by
        )
        secret = api_token.new_secret()
        api_token.save()
        return api_token, secret

    def note_use(self, now: datetime.datetime) -> None:
        """Record that the token was used, unless that was recorded less than an hour ago."""
        if self.last_used_at is not None and now - self.last_used_at < LAST_USED_PRECISION:
            return
        ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
        self.last_used_at = now

    @classmethod
    def revoke(cls, tokens: models.QuerySet, *, now: datetime.datetime | None = None) -> int:
        """Revoke `tokens` (already revoked ones keep their date); returns how many."""
        return tokens.active().update(revoked_at=now or timezone.now())

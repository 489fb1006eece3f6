"""
An employer's webhooks: the HTTPS endpoints of its own systems, and each event posted to
them (a delivery), with every attempt.

A payload holds ids and states only: never a person's words, a synthesis, a priority
ground or a disability. The receiver asks the application for more, with its own rights.
"""

import base64
import datetime
import ipaddress
import secrets
import urllib.parse
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bpp.people.models import Organisation
from synthesis.fields import fernet

# After a failed attempt, the next one waits this long; after the last, the delivery failed.
RETRY_DELAYS = [
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=12),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
ERROR_LENGTH = 200
# A delivery that succeeded or failed is kept this long for the HR admin, then deleted.
FINISHED_KEPT = datetime.timedelta(days=90)


class Event(models.TextChoices):
    REQUEST_RECEIVED = "request.received", "Demande reçue"
    REQUEST_DECIDED = "request.decided", "Demande décidée (acceptée, refusée ou reportée)"
    REQUESTS_IMPLICITLY_REJECTED = (
        "request.implicitly_rejected",
        "Demandes rejetées implicitement (délai de décision dépassé)",
    )
    AGENT_PLACED = "enrolment.placed", "Agent inscrit dans une promotion"
    COHORT_CONCLUDED = "cohort.concluded", "Promotion terminée"
    # Sent on demand from the back office, to every endpoint whatever its events.
    PING = "ping", "Événement de test"


SUBSCRIBABLE = [(value, label) for value, label in Event.choices if value != Event.PING]


def _local_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_endpoint_url(url: str) -> None:
    """HTTPS only; plain HTTP to this machine only when WEBHOOKS_ALLOW_HTTP is on
    (development and tests)."""
    parts = urllib.parse.urlsplit(url)
    if parts.username or parts.password:
        raise ValidationError("L’adresse ne doit pas contenir d’identifiant ni de mot de passe.")
    if parts.scheme == "https" and parts.hostname:
        return
    if (
        parts.scheme == "http"
        and settings.WEBHOOKS_ALLOW_HTTP
        and _local_host(parts.hostname or "")
    ):
        return
    raise ValidationError("Indiquez une adresse qui commence par « https:// ».")


def new_secret() -> str:
    """A signing secret in the Standard Webhooks form: "whsec_" + base64 of 32 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class EndpointQuerySet(models.QuerySet):
    def listening_to(self, event: str, organisations) -> list["Endpoint"]:
        """The active endpoints of `organisations` that chose `event` (a few per employer:
        the list of events is read here rather than in SQL, which SQLite cannot)."""
        active = self.filter(active=True, organisation__in=organisations).order_by("pk")
        return [endpoint for endpoint in active if event in endpoint.events]


class Endpoint(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="employeur",
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
    )
    url = models.URLField("adresse", max_length=500, validators=[validate_endpoint_url])
    description = models.CharField("description", max_length=200, blank=True)
    events = models.JSONField("événements", default=list)
    # The signing secret, encrypted with SYNTHESIS_KEYS (it must be read back to sign).
    sealed_secret = models.TextField(editable=False)
    active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField("créé le", default=timezone.now, editable=False)

    objects = EndpointQuerySet.as_manager()

    class Meta:
        verbose_name = "point de réception de webhooks"
        verbose_name_plural = "points de réception de webhooks"
        ordering = ["organisation", "url", "pk"]

    def __str__(self) -> str:
        return self.description or self.url

    @property
    def secret(self) -> str:
        return fernet().decrypt(self.sealed_secret.encode()).decode()

    @secret.setter
    def secret(self, value: str) -> None:
        self.sealed_secret = fernet().encrypt(value.encode()).decode()

    def clean(self) -> None:
        unknown = set(self.events) - {value for value, _ in SUBSCRIBABLE}
        if not isinstance(self.events, list) or unknown:
            raise ValidationError({"events": "Choisissez parmi les événements proposés."})

    def event_labels(self) -> str:
        return ", ".join(Event(event).label for event in self.events if event in Event.values)


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


class DeliveryQuerySet(models.QuerySet):
    def due(self, now: datetime.datetime) -> "DeliveryQuerySet":
        return self.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)

    def expired(self, now: datetime.datetime) -> "DeliveryQuerySet":
        """Finished deliveries older than FINISHED_KEPT."""
        return self.exclude(status=Delivery.Status.PENDING).filter(
            created_at__lt=now - FINISHED_KEPT
        )


class Delivery(models.Model):
    """One event posted to one endpoint, tried until it succeeds or MAX_ATTEMPTS fail.

    Its `message_id` (the webhook-id header) stays the same across attempts and resends,
    so that a receiver can ignore an event it already has.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        SUCCEEDED = "succeeded", "Remis"
        FAILED = "failed", "Échec"

    endpoint = models.ForeignKey(
        Endpoint,
        verbose_name="point de réception",
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.CharField("événement", max_length=40, choices=Event.choices)
    message_id = models.CharField("identifiant", max_length=40, unique=True, default=new_message_id)
    payload = models.JSONField("contenu")
    status = models.CharField(
        "statut", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    next_attempt_at = models.DateTimeField("prochaine tentative", null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField("dernier code HTTP", null=True, blank=True)
    last_error = models.CharField("dernière erreur", max_length=ERROR_LENGTH, blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    delivered_at = models.DateTimeField("remise le", null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = "webhook envoyé"
        verbose_name_plural = "webhooks envoyés"
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The worker's sweep: the pending deliveries whose time has come.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="webhook_delivery_due",
            ),
            # An endpoint's recent deliveries, in the back office.
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_recent"),
            # The daily deletion of the old ones (and the list of every endpoint's).
            models.Index(fields=["created_at"], name="webhook_delivery_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "succeeded", "failed"]),
                name="webhook_delivery_status",
            ),
            models.CheckConstraint(
                condition=~Q(status="pending") | Q(next_attempt_at__isnull=False),
                name="webhook_delivery_pending_has_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} n° {self.pk}"

    @property
    def can_resend(self) -> bool:
        return self.status == self.Status.FAILED

    def record_attempt(
        self, *, now: datetime.datetime, status_code: int | None, error: str = ""
    ) -> None:
        """Record an attempt: succeeded on a 2xx, otherwise retried later or failed."""
        self.attempts += 1
        self.last_status_code = status_code
        self.last_error = error[:ERROR_LENGTH]
        if status_code is not None and 200 <= status_code < 300:
            self.status, self.delivered_at, self.next_attempt_at = self.Status.SUCCEEDED, now, None
        elif self.attempts >= MAX_ATTEMPTS:
            self.status, self.next_attempt_at = self.Status.FAILED, None
        else:
            self.next_attempt_at = now + RETRY_DELAYS[self.attempts - 1]
        self.save()
        DeliveryAttempt.objects.create(
            delivery=self, at=now, status_code=status_code, error=self.last_error
        )

    def resend(self, *, now: datetime.datetime) -> bool:
        """Try a failed delivery again, as a new one would be (same message id)."""
        return bool(
            Delivery.objects.filter(pk=self.pk, status=self.Status.FAILED).update(
                status=self.Status.PENDING, attempts=0, next_attempt_at=now
            )
        )


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(
        Delivery, verbose_name="envoi", on_delete=models.CASCADE, related_name="attempt_log"
    )
    at = models.DateTimeField("le")
    status_code = models.PositiveSmallIntegerField("code HTTP", null=True, blank=True)
    error = models.CharField("erreur", max_length=ERROR_LENGTH, blank=True)

    class Meta:
        verbose_name = "tentative"
        verbose_name_plural = "tentatives"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} : {self.status_code or self.error}"

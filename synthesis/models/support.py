"""
The support interview (entretien d’appui): "if the agent needs help to finalise their
synthesis, they may ask the professional who accompanies them for a support interview"
(guide, "Finalisation").

The agent asks, with a message if they wish, from the start of their cohort until their
synthesis is signed, one request at a time. A leader of the cohort schedules it (a
session of kind SUPPORT_INTERVIEW for that agent, who is convoked) or declines it with a
message to the agent. Two leaders answering at once: one conditional UPDATE from `asked`
decides, the other is told someone answered first.

The agent's message is in their own words about their synthesis: encrypted under its key.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from bpp.people.models import User
from cohorts.models import Session
from synthesis.fields import EncryptedTextField
from synthesis.models.synthesis import Synthesis, SynthesisError

MESSAGE_MAX_LENGTH = 2000


class SupportRequestQuerySet(models.QuerySet):
    def open(self) -> "SupportRequestQuerySet":
        return self.filter(status=SupportRequest.Status.ASKED)


class SupportRequest(models.Model):
    class Status(models.TextChoices):
        ASKED = "demande", "En attente de réponse"
        SCHEDULED = "programme", "Entretien programmé"
        DECLINED = "decline", "Déclinée"

    synthesis = models.ForeignKey(
        Synthesis,
        verbose_name="synthèse",
        on_delete=models.CASCADE,
        related_name="support_requests",
    )
    message = EncryptedTextField("message de l’agent", max_length=MESSAGE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField("demandé le", default=timezone.now)
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.ASKED)
    session = models.OneToOneField(
        Session,
        verbose_name="entretien",
        # The cohort's retention deletes its sessions: the request goes with its interview.
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="support_request",
    )
    decline_message = models.TextField(
        "message de l’animateur", max_length=MESSAGE_MAX_LENGTH, blank=True
    )
    decided_by = models.ForeignKey(
        User,
        verbose_name="répondu par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("répondu le", null=True, blank=True)

    objects = SupportRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande d’entretien d’appui"
        verbose_name_plural = "demandes d’entretien d’appui"
        ordering = ["created_at", "pk"]
        constraints = [
            # One request awaiting an answer at a time, per synthesis (so per agent and cohort).
            models.UniqueConstraint(
                fields=["synthesis"], condition=Q(status="demande"), name="support_request_one_open"
            ),
            models.CheckConstraint(
                condition=Q(
                    status="demande",
                    session__isnull=True,
                    decided_by__isnull=True,
                    decided_at__isnull=True,
                )
                | Q(
                    status="programme",
                    session__isnull=False,
                    decided_by__isnull=False,
                    decided_at__isnull=False,
                )
                | (
                    Q(
                        status="decline",
                        session__isnull=True,
                        decided_by__isnull=False,
                        decided_at__isnull=False,
                    )
                    & ~Q(decline_message="")
                ),
                name="support_request_answer_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"Entretien d’appui — {self.synthesis.enrolment.agent}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.ASKED

    @staticmethod
    def asking_refusal(synthesis: Synthesis) -> str | None:
        """Why the agent cannot ask for a support interview now, in French, or None."""
        enrolment = synthesis.enrolment
        cohort = enrolment.cohort
        if enrolment.withdrawn_at is not None or cohort.cancelled_at is not None:
            return "Vous ne suivez plus cette promotion."
        if cohort.current_phase is None:
            return "Votre promotion n’a pas encore commencé."
        if synthesis.is_signed or synthesis.is_destroyed:
            return "Votre synthèse est signée : l’entretien d’appui aide à la finaliser, avant."
        if synthesis.support_requests.open().exists():
            return "Vous avez déjà demandé un entretien d’appui : l’animateur va vous répondre."
        return None

    def answered(self, **fields) -> None:
        """Record the answer if nobody answered first (one conditional UPDATE)."""
        fields.setdefault("decided_at", timezone.now())
        updated = SupportRequest.objects.filter(pk=self.pk, status=self.Status.ASKED).update(
            **fields
        )
        if not updated:
            raise SupportRequestError("Un autre animateur a déjà répondu à cette demande.")
        for name, value in fields.items():
            setattr(self, name, value)


class SupportRequestError(SynthesisError):
    """The support request cannot change so; the message says why, in French."""

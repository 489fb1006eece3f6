"""
Who else may read a synthesis: the agent's consents, and the record of every read.

A consent names its recipient: the manager as a person, HR as the HR service of one
employer. It is live until revoked, and it ends by itself when the person is no longer
the agent's manager (or the employer no longer theirs); revoking takes effect on the
next request. The manager or HR may ask for it (`ShareRequest`): nothing is shown
until the agent accepts, which gives the very consent the agent could have given
unasked. A leader who joined the cohort after the synthesis was opened reads it
only once the agent agrees (`LeaderConsent`). Every read by anyone but the agent
leaves an `AccessRecord` (who, when, on which basis, under which consent) that the
agent can see: the leaders' routine reads on screen summed up by leader and day, every
other read one by one.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from bpp.people.models import Organisation, Role, RoleAssignment, User
from synthesis.models.synthesis import Status, Synthesis

# The few words the manager or HR may add to a share request.
MESSAGE_MAX_LENGTH = 500


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
    # The manager as a person, or the HR service of one employer: never a role.
    recipient = models.ForeignKey(
        User,
        verbose_name="manager destinataire",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="employeur dont le service RH est destinataire",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
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
            models.CheckConstraint(
                condition=Q(
                    audience=Audience.MANAGER, recipient__isnull=False, organisation__isnull=True
                )
                | Q(audience=Audience.HR, organisation__isnull=False, recipient__isnull=True),
                name="consent_names_its_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_label} ({self.synthesis})"

    @property
    def is_for_manager(self) -> bool:
        return self.audience == Audience.MANAGER

    @property
    def recipient_label(self) -> str:
        if self.is_for_manager:
            return f"{self.recipient.get_full_name()}, votre manager"
        return f"le service RH de {self.organisation}"

    def still_applies(self) -> bool:
        """Whether the named recipient is still the agent's manager, or HR of their employer."""
        agent = self.synthesis.enrolment.agent
        if self.is_for_manager:
            return self.recipient_id is not None and self.recipient_id == agent.manager_id
        return self.organisation_id == agent.organisation_id


class SharingError(Exception):
    """The consent cannot be given (no manager to name); the message says why, in French."""


def grant(synthesis: Synthesis, audience: str, *, now: datetime.datetime | None = None) -> bool:
    """Give reading access to the agent's manager today, by name, or to the HR service of
    their employer; False if that recipient already had it.

    A live consent to someone who is no longer the recipient (a former manager) ends here.
    """
    agent = synthesis.enrolment.agent
    if audience == Audience.MANAGER:
        if agent.manager_id is None:
            raise SharingError("Vous n’avez pas de manager à qui la montrer.")
        named = {"recipient_id": agent.manager_id, "organisation": None}
    else:
        named = {"recipient": None, "organisation_id": agent.organisation_id}
    return _give(synthesis, audience, named, now or timezone.now())


def _give(synthesis: Synthesis, audience: str, named: dict, now: datetime.datetime) -> bool:
    """The consent to the `named` recipient of `audience`, ending any other live one."""
    live = Consent.objects.live().filter(synthesis=synthesis, audience=audience)
    if live.filter(**named).exists():
        return False
    live.update(revoked_at=now)
    Consent.objects.create(synthesis=synthesis, audience=audience, granted_at=now, **named)
    return True


def revoke(synthesis: Synthesis, audience: str, *, now: datetime.datetime | None = None) -> bool:
    """Withdraw `audience`'s access at once; False if it had none."""
    return bool(
        Consent.objects.live()
        .filter(synthesis=synthesis, audience=audience)
        .update(revoked_at=now or timezone.now())
    )


class ShareRequestState(models.TextChoices):
    PENDING = "en_attente", "En attente de réponse"
    ACCEPTED = "acceptee", "Acceptée"
    DECLINED = "refusee", "Déclinée"
    # Its asker no longer is the agent's manager, or HR of their employer.
    LAPSED = "sans_suite", "Sans suite"


def _asker_still_entitled() -> Q:
    """Whether the one who asked is still the agent's manager, or HR of the agent's
    employer (what `Consent.still_applies` says of a consent, for a queryset of asks)."""
    agent = "synthesis__enrolment__agent__"
    hr = RoleAssignment.objects.filter(
        user=OuterRef("asked_by"), role=Role.HR, organisation=OuterRef("organisation")
    )
    return Q(asked_by__is_active=True) & (
        Q(audience=Audience.MANAGER, asked_by=F(f"{agent}manager"))
        | Q(Exists(hr), audience=Audience.HR, organisation=F(f"{agent}organisation"))
    )


class ShareRequestQuerySet(models.QuerySet):
    def pending(self) -> "ShareRequestQuerySet":
        return self.filter(state=ShareRequestState.PENDING)

    def applying(self) -> "ShareRequestQuerySet":
        """The asks whose asker is still the agent's manager, or HR of their employer."""
        return self.filter(_asker_still_entitled())

    def awaiting_answer(self) -> "ShareRequestQuerySet":
        """The asks the agent may still answer: pending, and their asker still entitled."""
        return self.pending().applying()

    def with_lapsed(self) -> "ShareRequestQuerySet":
        """Annotate `lapsed`: pending, but its asker no longer entitled (read as "sans suite")."""
        return self.annotate(
            lapsed=models.ExpressionWrapper(
                Q(state=ShareRequestState.PENDING) & ~_asker_still_entitled(),
                output_field=models.BooleanField(),
            )
        )


class ShareRequest(models.Model):
    """The manager, or an HR officer for the HR service, asks the agent to share the synthesis.

    The asker learns the answer and nothing else; accepting grants the consent the agent
    would have given themselves, which then lives and ends by the rules of `Consent`.
    """

    synthesis = models.ForeignKey(
        Synthesis, on_delete=models.CASCADE, related_name="share_requests"
    )
    audience = models.CharField("destinataire", max_length=20, choices=Audience.choices)
    asked_by = models.ForeignKey(
        User, verbose_name="demandée par", on_delete=models.PROTECT, related_name="+"
    )
    # For HR: the employer whose HR service asks (and would read); None for the manager.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="employeur dont le service RH demande",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    message = models.TextField("message", max_length=MESSAGE_MAX_LENGTH, blank=True)
    asked_at = models.DateTimeField("demandée le")
    state = models.CharField(
        "état",
        max_length=20,
        choices=ShareRequestState.choices,
        default=ShareRequestState.PENDING,
    )
    answered_at = models.DateTimeField("close le", null=True, blank=True)

    objects = ShareRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande de partage"
        verbose_name_plural = "demandes de partage"
        ordering = ["synthesis", "-asked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["synthesis", "audience"],
                condition=Q(state=ShareRequestState.PENDING),
                name="share_request_one_pending_per_audience",
                violation_error_message="Une demande de partage attend déjà la réponse de l’agent.",
            ),
            models.CheckConstraint(
                condition=Q(state=ShareRequestState.PENDING, answered_at__isnull=True)
                | (~Q(state=ShareRequestState.PENDING) & Q(answered_at__gte=F("asked_at"))),
                name="share_request_closed_after_asked",
            ),
            models.CheckConstraint(
                condition=Q(audience=Audience.MANAGER, organisation__isnull=True)
                | Q(audience=Audience.HR, organisation__isnull=False),
                name="share_request_names_its_asker",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asked_by} ({self.get_state_display()})"

    @property
    def is_for_manager(self) -> bool:
        return self.audience == Audience.MANAGER

    @property
    def is_pending(self) -> bool:
        return self.state == ShareRequestState.PENDING

    @property
    def is_accepted(self) -> bool:
        return self.state == ShareRequestState.ACCEPTED

    @property
    def asker_label(self) -> str:
        """Who asks, as the agent reads it."""
        if self.is_for_manager:
            return f"{self.asked_by.get_full_name()}, votre manager"
        return f"{self.asked_by.get_full_name()}, pour le service RH de {self.organisation}"

    @transaction.atomic
    def answer(self, *, accepted: bool, now: datetime.datetime | None = None) -> None:
        """The agent accepts (only while the asker is still entitled) or declines, once.

        Accepting gives the asker's audience the same consent as `grant`.
        """
        now = now or timezone.now()
        pending = ShareRequest.objects.pending().filter(pk=self.pk)
        if accepted:
            pending = pending.applying()
        state = ShareRequestState.ACCEPTED if accepted else ShareRequestState.DECLINED
        # One conditional UPDATE: answered once, and accepted only if the asker is still
        # entitled at this instant (a manager changed since the ask cannot be let in).
        if not pending.update(state=state, answered_at=now):
            if ShareRequest.objects.pending().filter(pk=self.pk).exists():
                raise SharingError(
                    f"{self.asked_by.get_full_name()} n’est plus votre manager ni au service RH "
                    "de votre employeur : cette demande est sans suite."
                )
            raise SharingError("Vous avez déjà répondu à cette demande.")
        self.state, self.answered_at = state, now
        if accepted:
            # The consent names the asker (checked above), never whoever is the manager
            # by now: from then on `Consent.still_applies` decides, as for any consent.
            if self.is_for_manager:
                named = {"recipient_id": self.asked_by_id, "organisation": None}
            else:
                named = {"recipient": None, "organisation_id": self.organisation_id}
            _give(self.synthesis, self.audience, named, now)


@transaction.atomic
def ask(
    synthesis: Synthesis,
    audience: str,
    *,
    by: User,
    message: str = "",
    now: datetime.datetime | None = None,
) -> ShareRequest:
    """`by`, the agent's manager or HR of their employer, asks the agent to share the
    signed synthesis with `audience`. Raises SharingError (in French) when the rules say no.
    """
    now = now or timezone.now()
    locked = Synthesis.objects.select_for_update().get(pk=synthesis.pk)
    if locked.status != Status.SIGNED:
        raise SharingError(
            "Le document de synthèse n’est pas signé : le partage se demande une fois "
            "le document signé par l’agent et le professionnel qui l’accompagne."
        )
    agent = synthesis.enrolment.agent
    live = Consent.objects.live().filter(synthesis=synthesis, audience=audience)
    if audience == Audience.MANAGER:
        already = live.filter(recipient=by, recipient_id=agent.manager_id)
        organisation = None
    else:
        already = live.filter(organisation_id=agent.organisation_id)
        organisation = agent.organisation
    if already.exists():
        raise SharingError("L’agent vous partage déjà ce document.")
    pending = ShareRequest.objects.pending().filter(synthesis=synthesis, audience=audience)
    # An ask whose asker is no longer entitled (a former manager) gives way to this one.
    pending.exclude(_asker_still_entitled()).update(state=ShareRequestState.LAPSED, answered_at=now)
    try:
        with transaction.atomic():
            share_request = ShareRequest.objects.create(
                synthesis=synthesis,
                audience=audience,
                asked_by=by,
                organisation=organisation,
                message=message.strip(),
                asked_at=now,
            )
    except IntegrityError:
        raise SharingError("Une demande de partage attend déjà la réponse de l’agent.") from None
    if not ShareRequest.objects.applying().filter(pk=share_request.pk).exists():
        # Rolled back with the whole transaction: nobody else may ask.
        raise SharingError(
            "Seuls le manager de l’agent et le service RH de son employeur peuvent "
            "demander ce partage."
        )
    return share_request


class LeaderConsent(models.Model):
    """The agent's answer to a leader who joined the cohort after the synthesis was opened.

    Valid for that joining only: a leader removed and added again is asked again.
    """

    synthesis = models.ForeignKey(
        Synthesis, on_delete=models.CASCADE, related_name="leader_consents"
    )
    leader = models.ForeignKey(
        User, verbose_name="animateur", on_delete=models.PROTECT, related_name="+"
    )
    accepted = models.BooleanField("accepté")
    answered_at = models.DateTimeField("répondu le")

    class Meta:
        verbose_name = "accord à un nouvel animateur"
        verbose_name_plural = "accords aux nouveaux animateurs"
        ordering = ["synthesis", "-answered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["synthesis", "leader"], name="leader_consent_once_per_leader"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leader} — {'accepté' if self.accepted else 'refusé'}"


# The reads of the cohort's leaders co-writing it: routine, summed up for the agent by day.
ROUTINE_BASES = (Basis.LEADER, Basis.PROVIDER)


class AccessRecordQuerySet(models.QuerySet):
    def summarised(self) -> models.QuerySet:
        """One row per leader and day for the leaders' routine reads (on screen, on the
        ground of leading the cohort), one row per read for every other read (anyone
        else, or a PDF): dicts with the reader's names, `basis`, `format`, `consent_granted_at`,
        `day` (Paris), `count`, `first` and `last`, the most recent first. One GROUP BY.
        """
        routine = Q(basis__in=ROUTINE_BASES, format=AccessRecord.Format.PAGE)
        return (
            self.annotate(
                routine=ExpressionWrapper(routine, output_field=BooleanField()),
                day=TruncDate("read_at", tzinfo=timezone.get_current_timezone()),
                # The routine reads of a day share one line; every other read has its own.
                line=Case(
                    When(routine, then=Value(0)),
                    default=F("pk"),
                    output_field=models.BigIntegerField(),
                ),
            )
            .values(
                "reader",
                "basis",
                "format",
                "routine",
                "day",
                "line",
                first_name=F("reader__first_name"),
                last_name=F("reader__last_name"),
                consent_granted_at=F("consent__granted_at"),
            )
            .annotate(count=Count("pk"), first=Min("read_at"), last=Max("read_at"))
            .order_by("-last", "-line")
        )

    def beyond_routine(self) -> "AccessRecordQuerySet":
        """The reads that are not a leader's routine read."""
        return self.exclude(basis__in=ROUTINE_BASES, format=AccessRecord.Format.PAGE)


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

    objects = AccessRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "lecture"
        ordering = ["synthesis", "-read_at", "-pk"]
        indexes = [models.Index(fields=["synthesis", "-read_at"], name="read_by_synthesis")]

    def __str__(self) -> str:
        return f"{self.reader} — {self.read_at:%d/%m/%Y %H:%M}"


@dataclass
class ReadLine:
    """One line of the read log shown to the agent (`AccessRecord.objects.summarised()`):
    one read, or the routine reads of a leader on one day (`routine`, `count` of them)."""

    reader: int
    first_name: str
    last_name: str
    basis: str
    format: str
    consent_granted_at: datetime.datetime | None
    routine: bool
    day: datetime.date
    line: int
    count: int
    first: datetime.datetime
    last: datetime.datetime

    @property
    def reader_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def basis_label(self) -> str:
        return Basis(self.basis).label

    @property
    def is_pdf(self) -> bool:
        return self.format == AccessRecord.Format.PDF

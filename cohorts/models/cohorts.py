"""
The offer of an employer: cohorts of 6 to 12 agents led through four phases.

A collective cohort never holds more than 12 agents; the database says so too
(`seats_taken <= capacity <= 12`), and placing an agent takes a seat with one
conditional UPDATE, so no two placements can take the last seat.
"""

import datetime
import itertools

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from bpp.people.models import AgentProfile, Organisation, Provider, ProviderContract, User
from bpp.requests.models import Mode, ReviewRequest, Status
from bpp.templatetags import french
from bpp.validators import validate_departement

COLLECTIVE_MIN, COLLECTIVE_MAX = 6, 12


class CohortError(Exception):
    """A rule forbids this change; the message says why, in French, to the user."""


class Formula(models.TextChoices):
    COLLECTIVE = "collective", "Collective (6 à 12 agents)"
    INDIVIDUAL = "individuelle", "Individuelle (entretiens)"


class Phase(models.IntegerChoices):
    LAUNCH = 1, "Lancement"
    ANALYSIS = 2, "Appui à l’analyse du parcours professionnel"
    ACTION_PLAN = 3, "Appui à la réalisation d’un plan d’action"
    CONCLUSION = 4, "Conclusion"


class CohortEvent(models.TextChoices):
    """What happened to a cohort, in its history."""

    STARTED = "demarrage", "Démarrage"
    PHASE_CLOSED = "phase_close", "Phase close"
    CONCLUDED = "conclusion", "Promotion terminée"
    SMALL_START_ALLOWED = "derogation", "Démarrage à moins de 6 agents autorisé"
    LEADER_ADDED = "animateur_ajoute", "Animateur ajouté"
    LEADER_REMOVED = "animateur_retire", "Animateur retiré"


# The events that name the leader who joined or left the cohort.
LEADER_EVENTS = (CohortEvent.LEADER_ADDED, CohortEvent.LEADER_REMOVED)


class CohortQuerySet(models.QuerySet):
    def published(self) -> "CohortQuerySet":
        return self.filter(published=True, concluded_at__isnull=True, cancelled_at__isnull=True)

    def with_start(self) -> "CohortQuerySet":
        """Annotate `starts_on`, the first day of the launch phase."""
        return self.annotate(starts_on=Min("phases__starts_on"))

    def with_next_session(self, now: datetime.datetime) -> "CohortQuerySet":
        """Annotate `next_session`: when the next session not cancelled starts (or None).
        A subquery, not a MIN over a join: beside `with_start`'s, it would pair every
        phase with every session."""
        sessions = self.model._meta.get_field("sessions").related_model  # defined later
        return self.annotate(
            next_session=Subquery(
                sessions.objects.filter(
                    cohort=OuterRef("pk"), starts_at__gte=now, cancelled_at__isnull=True
                )
                .order_by("starts_at")
                .values("starts_at")[:1]
            )
        )

    def with_free_seats(self) -> "CohortQuerySet":
        return self.filter(seats_taken__lt=F("capacity"))

    def open_for_placement(self) -> "CohortQuerySet":
        """Published cohorts with a free seat that an agent can still join (until phase 1 ends)."""
        return (
            self.published()
            .with_free_seats()
            .filter(Q(current_phase__isnull=True) | Q(current_phase=Phase.LAUNCH))
        )

    def led_by(self, user: User) -> "CohortQuerySet":
        """The cohorts `user` leads: a CMC of the employer, or a consultant of the provider,
        named a leader (working for the provider is not enough)."""
        return self.filter(leaders=user)


class Cohort(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name="employeur", on_delete=models.PROTECT, related_name="cohorts"
    )
    title = models.CharField("intitulé", max_length=200)
    formula = models.CharField(
        "formule", max_length=20, choices=Formula.choices, default=Formula.COLLECTIVE
    )
    individual_reason = models.TextField(
        "pourquoi la formule individuelle",
        max_length=2000,
        blank=True,
        help_text="La formule collective est la règle ; l’individuelle, l’exception motivée.",
    )
    mode = models.CharField("modalité", max_length=20, choices=Mode.cohort_choices())
    place = models.CharField("lieu", max_length=300, blank=True)
    # Where an on-site or hybrid cohort meets: it is offered to the agents of this département.
    town = models.CharField("commune", max_length=100, blank=True)
    departement = models.CharField(
        "département",
        max_length=3,
        blank=True,
        validators=[validate_departement],
        help_text="Code du département : 75, 2A, 971…",
    )
    capacity = models.PositiveSmallIntegerField("places", default=COLLECTIVE_MAX)
    seats_taken = models.PositiveSmallIntegerField("places occupées", default=0)
    leaders = models.ManyToManyField(
        User, verbose_name="animateurs", related_name="led_cohorts", blank=True
    )
    provider = models.ForeignKey(
        Provider,
        verbose_name="prestataire",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cohorts",
        help_text="Seulement quand aucun professionnel interne ne peut être mobilisé.",
    )
    # A provider is the exception (guide, "Qui anime le bilan de parcours ?"): the cohort
    # says why no internal professional could lead it, and under which contract.
    provider_reason = models.TextField(
        "pourquoi aucun professionnel interne ne peut l’animer", max_length=2000, blank=True
    )
    provider_contract = models.ForeignKey(
        ProviderContract,
        verbose_name="marché",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cohorts",
    )
    published = models.BooleanField("publiée dans l’offre", default=False)
    current_phase = models.PositiveSmallIntegerField(
        "phase en cours", choices=Phase.choices, null=True, blank=True
    )
    started_at = models.DateTimeField("démarrée le", null=True, blank=True)
    concluded_at = models.DateTimeField("terminée le", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    # Starting with fewer than 6 agents needs an HR admin's reasoned override.
    small_start_allowed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    small_start_reason = models.TextField(
        "motif du démarrage à moins de 6", max_length=2000, blank=True
    )
    confidentiality_rules = models.TextField(
        "ce que le groupe tient pour confidentiel", max_length=5000, blank=True
    )

    objects = CohortQuerySet.as_manager()

    class Meta:
        verbose_name = "promotion"
        verbose_name_plural = "promotions"
        ordering = ["organisation__name", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("capacity")), name="cohort_not_overbooked"
            ),
            models.CheckConstraint(
                condition=~Q(formula=Formula.COLLECTIVE)
                | Q(capacity__gte=COLLECTIVE_MIN, capacity__lte=COLLECTIVE_MAX),
                name="cohort_collective_6_to_12",
                violation_error_message="Une promotion collective compte de 6 à 12 places.",
            ),
            models.CheckConstraint(
                condition=~Q(formula=Formula.INDIVIDUAL)
                | (Q(capacity=1) & ~Q(individual_reason="")),
                name="cohort_individual_is_motivated",
                violation_error_message=(
                    "La formule individuelle est l’exception : une seule place, et dites "
                    "pourquoi la collective n’est pas possible."
                ),
            ),
            models.CheckConstraint(
                condition=Q(provider__isnull=True)
                | (Q(provider_contract__isnull=False) & ~Q(provider_reason="")),
                name="cohort_provider_is_motivated",
                violation_error_message=(
                    "Le recours à un prestataire est l’exception : indiquez le marché et "
                    "pourquoi aucun professionnel interne ne peut animer la promotion."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def free_seats(self) -> int:
        return self.capacity - self.seats_taken

    @property
    def is_provider_led(self) -> bool:
        return self.provider_id is not None

    @property
    def provider_access_ends(self) -> datetime.datetime | None:
        """A provider keeps nothing: its access to the cohort ends N days after the end."""
        if self.provider_id is None or self.concluded_at is None:
            return None
        return self.concluded_at + datetime.timedelta(days=settings.PROVIDER_ACCESS_DAYS)

    @property
    def lacks_agents(self) -> bool:
        """A collective cohort below 6 agents cannot start without an override."""
        return self.formula == Formula.COLLECTIVE and self.seats_taken < COLLECTIVE_MIN

    @property
    def is_remote(self) -> bool:
        return self.mode == Mode.REMOTE

    @property
    def is_running(self) -> bool:
        return self.current_phase is not None and self.concluded_at is None

    def _locked(self) -> "Cohort":
        return Cohort.objects.select_for_update().get(pk=self.pk)

    def _record(
        self,
        kind: str,
        *,
        by: User,
        now: datetime.datetime,
        from_phase: int | None = None,
        to_phase: int | None = None,
        reason: str = "",
    ) -> "CohortTransition":
        return CohortTransition.objects.create(
            cohort=self,
            kind=kind,
            from_phase=from_phase,
            to_phase=to_phase,
            by=by,
            at=now,
            reason=reason,
        )

    @transaction.atomic
    def allow_small_start(
        self, *, by: User, reason: str, now: datetime.datetime | None = None
    ) -> None:
        """An HR admin lets a collective cohort start with fewer than 6 agents."""
        reason = reason.strip()
        if not reason:
            raise CohortError("Motivez le démarrage avec moins de 6 agents.")
        Cohort.objects.filter(pk=self.pk).update(
            small_start_allowed_by=by, small_start_reason=reason
        )
        self._record(
            CohortEvent.SMALL_START_ALLOWED, by=by, now=now or timezone.now(), reason=reason
        )

    @transaction.atomic
    def start(self, *, by: User, now: datetime.datetime | None = None) -> None:
        """Open phase 1 (Lancement)."""
        now = now or timezone.now()
        locked = self._locked()
        if locked.current_phase is not None:
            raise CohortError("Cette promotion a déjà démarré.")
        if locked.seats_taken == 0:
            raise CohortError("Aucun agent n’est inscrit dans cette promotion.")
        if locked.lacks_agents and locked.small_start_allowed_by_id is None:
            raise CohortError(
                f"La promotion ne compte que {locked.seats_taken} "
                f"agent{french.plural(locked.seats_taken)} : une promotion "
                "collective démarre à 6. Un administrateur RH peut autoriser un démarrage "
                "motivé à moins de 6."
            )
        Cohort.objects.filter(pk=self.pk).update(current_phase=Phase.LAUNCH, started_at=now)
        self._record(CohortEvent.STARTED, by=by, now=now, to_phase=Phase.LAUNCH)

    @transaction.atomic
    def advance_phase(self, *, by: User, now: datetime.datetime | None = None) -> bool:
        """Close the current phase and open the next; closing phase 4 concludes the cohort.

        Returns whether the cohort concluded (the service then sends the questionnaires).
        """
        now = now or timezone.now()
        locked = self._locked()
        if not locked.is_running:
            raise CohortError("Cette promotion n’est pas en cours.")
        closing = locked.current_phase
        self.phases.filter(number=closing).update(completed_at=now)
        if closing == Phase.CONCLUSION:
            Cohort.objects.filter(pk=self.pk).update(concluded_at=now)
            self._record(CohortEvent.CONCLUDED, by=by, now=now, from_phase=closing)
            return True
        Cohort.objects.filter(pk=self.pk).update(current_phase=closing + 1)
        self._record(
            CohortEvent.PHASE_CLOSED, by=by, now=now, from_phase=closing, to_phase=closing + 1
        )
        return False


class CohortTransition(models.Model):
    """One event in a cohort's life: who, when, from which phase to which, why. Append-only."""

    cohort = models.ForeignKey(
        Cohort, verbose_name="promotion", on_delete=models.CASCADE, related_name="transitions"
    )
    kind = models.CharField("événement", max_length=20, choices=CohortEvent.choices)
    from_phase = models.PositiveSmallIntegerField(
        "de la phase", choices=Phase.choices, null=True, blank=True
    )
    to_phase = models.PositiveSmallIntegerField(
        "vers la phase", choices=Phase.choices, null=True, blank=True
    )
    # The leader who joined or left, for the leader events only.
    leader = models.ForeignKey(
        User,
        verbose_name="animateur",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    by = models.ForeignKey(User, verbose_name="par", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("le")
    reason = models.TextField("motif", max_length=2000, blank=True)

    class Meta:
        verbose_name = "événement de la promotion"
        verbose_name_plural = "historique des promotions"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["cohort", "at"], name="cohort_transition_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=LEADER_EVENTS, leader__isnull=False)
                | (~Q(kind__in=LEADER_EVENTS) & Q(leader__isnull=True)),
                name="cohort_transition_leader_iff_leader_event",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """What happened, in a sentence of the history."""
        match self.kind:
            case CohortEvent.STARTED:
                return f"Démarrage : phase 1, {Phase.LAUNCH.label}"
            case CohortEvent.PHASE_CLOSED:
                return (
                    f"Phase {self.from_phase} close ; phase {self.to_phase}, "
                    f"{self.get_to_phase_display()}"
                )
            case CohortEvent.CONCLUDED:
                return "Phase 4 close : promotion terminée"
            case CohortEvent.LEADER_ADDED | CohortEvent.LEADER_REMOVED:
                return f"{self.get_kind_display()} : {self.leader.get_full_name()}"
        return self.get_kind_display()


class CohortPhase(models.Model):
    """The planned dates of one of the four phases of a cohort."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField("phase", choices=Phase.choices)
    starts_on = models.DateField("début prévu")
    ends_on = models.DateField("fin prévue")
    completed_at = models.DateTimeField("terminée le", null=True, blank=True)

    class Meta:
        verbose_name = "phase"
        verbose_name_plural = "phases"
        ordering = ["cohort", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "number"], name="phase_unique_number"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="phase_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.get_number_display()}"


def waiting_for_a_seat(requests: QuerySet, today: datetime.date | None = None) -> QuerySet:
    """The requests approved as of `today` (default: today) whose agent has no seat yet,
    in the order seats are given."""
    return requests.in_state(Status.APPROVED, today=today).filter(seated=False).priority_first()


def phases_in_order(dates: list[tuple[datetime.date, datetime.date]]) -> bool:
    """Whether four (start, end) pairs follow each other without going back in time."""
    return all(start <= end for start, end in dates) and all(
        earlier[1] <= later[0] for earlier, later in itertools.pairwise(dates)
    )


# An enrolment is current until the agent leaves the cohort.
CURRENT = Q(withdrawn_at__isnull=True)


class EnrolmentQuerySet(models.QuerySet):
    def current(self) -> "EnrolmentQuerySet":
        """The enrolments of agents who have not left their cohort."""
        return self.filter(CURRENT)


class Enrolment(models.Model):
    """An agent placed in a cohort for their approved request."""

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments")
    agent = models.ForeignKey(AgentProfile, on_delete=models.PROTECT, related_name="enrolments")
    # Requests are never deleted in the product; the demo rebuilds them with their seats.
    request = models.ForeignKey(ReviewRequest, on_delete=models.CASCADE, related_name="enrolments")
    placed_at = models.DateTimeField("placé le")
    placed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # Why the CMC placed the agent out of the queue's order (a priority agent waited, or a
    # nearer cohort suited); empty when the placement followed it.
    placement_reason = models.TextField("motif de la dérogation", max_length=2000, blank=True)
    withdrawn_at = models.DateTimeField("retiré le", null=True, blank=True)
    withdrawal_reason = models.TextField("motif du retrait", max_length=2000, blank=True)
    contract_signed_at = models.DateTimeField("contrat signé le", null=True, blank=True)
    contract_version = models.CharField("version du contrat signé", max_length=20, blank=True)
    # The agent may turn off the programme's messages that are not essential.
    programme_messages = models.BooleanField("recevoir les messages du programme", default=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = "inscription"
        verbose_name_plural = "inscriptions"
        ordering = ["cohort", "placed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agent"],
                condition=CURRENT,
                name="enrolment_one_cohort_at_a_time",
                violation_error_message="Cet agent est déjà inscrit dans une promotion.",
            ),
            models.UniqueConstraint(
                fields=["request"],
                condition=CURRENT,
                name="enrolment_one_per_request",
            ),
            models.CheckConstraint(
                condition=Q(contract_signed_at__isnull=True) | ~Q(contract_version=""),
                name="enrolment_contract_version_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent} — {self.cohort}"

    def visible_sessions(self):
        """The agent's sessions; from phase 2 on, only once the contract is signed."""
        sessions = self.sessions.filter(cancelled_at__isnull=True).order_by("starts_at")
        if self.contract_signed_at is None:
            sessions = sessions.filter(phase=Phase.LAUNCH)
        return sessions

    def sign_contract(self, *, version: str, now: datetime.datetime | None = None) -> None:
        """Record the agent's signature of the contract text `version` (once)."""
        signed = (
            Enrolment.objects.current()
            .filter(pk=self.pk, contract_signed_at__isnull=True)
            .update(contract_signed_at=now or timezone.now(), contract_version=version)
        )
        if not signed:
            raise CohortError("Ce contrat est déjà signé.")

"""
The review request, from the agent's demand (or the employer's proposal) to the decision.

The status stored in the database is what someone decided. What a request *is* also
depends on the date: a request still awaiting a decision after its deadline is
implicitly rejected, and a postponed request whose postponement has ended is approved,
whether or not the nightly job has recorded it yet. The default manager therefore
annotates every row with `state`, the status as of today, and every page, counter and
export reads `state`.
"""

import datetime
import functools
import operator

from django.conf import settings
from django.db import models, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone

from bpp.people.models import (
    AgentProfile,
    Organisation,
    Role,
    Service,
    User,
    name_contains,
    priority_public_q,
)
from bpp.requests import deadlines
from bpp.templatetags import french


class RequestError(Exception):
    """A rule forbids this change; the message says why, in French, to the user."""


class Status(models.TextChoices):
    PROPOSED = "proposee", "Proposée par l’employeur"
    DECLINED = "declinee", "Proposition déclinée"
    PENDING = "en_attente", "En attente de décision"
    POSTPONEMENT_REQUESTED = "report_soumis", "Report soumis au service RH"
    APPROVED = "acceptee", "Acceptée"
    POSTPONED = "reportee", "Reportée"
    REFUSED = "refusee", "Refusée"
    WITHDRAWN = "retiree", "Retirée"
    IMPLICITLY_REJECTED = "rejet_implicite", "Rejetée implicitement"


# The DSFR badge of each state (`fr-badge--<kind>`), declared once: every page shows a
# request's state through `templates/components/_badge.html` with this kind.
BADGES = {
    Status.PROPOSED: "new",
    Status.DECLINED: "info",
    Status.PENDING: "new",
    Status.POSTPONEMENT_REQUESTED: "new",
    Status.APPROVED: "success",
    Status.POSTPONED: "info",
    Status.REFUSED: "error",
    Status.WITHDRAWN: "info",
    Status.IMPLICITLY_REJECTED: "error",
}

# The administration still owes an answer: the deadline runs.
AWAITING_DECISION = (Status.PENDING, Status.POSTPONEMENT_REQUESTED)
# Answered, by someone or by the calendar (the deadline passed).
DECIDED = (Status.APPROVED, Status.POSTPONED, Status.REFUSED, Status.IMPLICITLY_REJECTED)
# An agent has at most one of these at a time.
LIVE = (
    Status.PROPOSED,
    Status.PENDING,
    Status.POSTPONEMENT_REQUESTED,
    Status.APPROVED,
    Status.POSTPONED,
)

# The states each transition starts from, declared once: the transition checks them,
# its `can_…` property and the templates read them.
CAN_ANSWER_PROPOSAL = (Status.PROPOSED,)
CAN_WITHDRAW = (*AWAITING_DECISION, Status.APPROVED, Status.POSTPONED)
CAN_APPROVE = (*AWAITING_DECISION, Status.POSTPONED)
CAN_REFUSE = AWAITING_DECISION
CAN_POSTPONE = (Status.PENDING,)
CAN_ANSWER_POSTPONEMENT = (Status.POSTPONEMENT_REQUESTED,)
# The agent may change their mind about the référent handicap while the request runs.
CAN_CHOOSE_DISABILITY_OFFICER = CAN_WITHDRAW

# A postponement is exceptional: its ground (continuité du service) is explained at
# this length at least, and it ends by `deadlines.latest_postponement_end`.
POSTPONEMENT_REASON_MIN_LENGTH = 20
POSTPONEMENT_ENDED_REASON = "Fin du report"

# A request made within a restructuring operation is approved on receipt, and nobody
# may refuse or postpone it (décret n° 2019-1441, art. 4).
DE_DROIT_LEGAL_BASIS = "décret n° 2019-1441, art. 4"


class Mode(models.TextChoices):
    """How a review takes place: a cohort's mode, or the agent's preference."""

    ON_SITE = "presentiel", "Sur site"
    REMOTE = "distance", "À distance"
    HYBRID = "hybride", "Hybride"
    ANY = "indifferent", "Sans préférence"

    @classmethod
    def cohort_choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in (cls.ON_SITE, cls.REMOTE, cls.HYBRID)]

    @classmethod
    def preference_choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in (cls.ON_SITE, cls.REMOTE, cls.ANY)]


class Initiative(models.TextChoices):
    AGENT = "agent", "L’agent"
    EMPLOYER = "employeur", "L’employeur, avec l’accord de l’agent"


class Origin(models.TextChoices):
    """Where a request comes from (issue 16), counted in the indicators. The agent says
    which of the first three; a proposal and a restructuring are known without asking."""

    ANNUAL_INTERVIEW = "entretien_annuel", "Entretien professionnel annuel"
    MOBILITY_INTERVIEW = "entretien_mobilite", "Entretien de mobilité ou de carrière"
    OWN_INITIATIVE = "initiative", "Initiative personnelle"
    EMPLOYER_PROPOSAL = "proposition", "Proposition de l’employeur"
    RESTRUCTURING = "restructuration", "Restructuration"

    @classmethod
    def agent_choices(cls) -> list[tuple[str, str]]:
        """What the agent chooses from when asking."""
        return [
            (o.value, o.label)
            for o in (cls.ANNUAL_INTERVIEW, cls.MOBILITY_INTERVIEW, cls.OWN_INITIATIVE)
        ]


def state_as_of(today: datetime.date) -> Case:
    """The status as of `today`: the stored one, or what the calendar made of it (the
    implicit rejection after the deadline, the approval after the postponement's end)."""
    return Case(
        When(
            status__in=AWAITING_DECISION,
            decision_deadline__lt=today,
            then=Value(Status.IMPLICITLY_REJECTED.value),
        ),
        When(
            status=Status.POSTPONED,
            postponement_end__lt=today,
            then=Value(Status.APPROVED.value),
        ),
        default=F("status"),
        output_field=models.CharField(),
    )


def _on_or_after(field: str, today: datetime.date) -> Q:
    """`field` is not before `today` (or unknown): the calendar has not changed the status."""
    return Q(**{f"{field}__gte": today}) | Q(**{f"{field}__isnull": True})


def in_state_q(states, today: datetime.date) -> Q:
    """The requests whose state as of `today` is one of `states`: the same rows as
    filtering `state_as_of(today)` on `states`, written on the stored status, deadline
    and postponement end so that indexes serve it."""
    states = set(states)
    awaiting = sorted(states & set(AWAITING_DECISION))
    plain = states - {*AWAITING_DECISION, Status.POSTPONED, Status.APPROVED}
    plain.discard(Status.IMPLICITLY_REJECTED)
    deadline, end = "decision_deadline", "postponement_end"
    parts = []
    if plain:
        parts.append(Q(status__in=sorted(plain)))
    if awaiting:
        parts.append(Q(status__in=awaiting) & _on_or_after(deadline, today))
    if Status.POSTPONED in states:
        parts.append(Q(status=Status.POSTPONED) & _on_or_after(end, today))
    if Status.APPROVED in states:
        parts.append(
            Q(status=Status.APPROVED) | Q(status=Status.POSTPONED, **{f"{end}__lt": today})
        )
    if Status.IMPLICITLY_REJECTED in states:
        parts.append(
            Q(status=Status.IMPLICITLY_REJECTED)
            | Q(status__in=AWAITING_DECISION, **{f"{deadline}__lt": today})
        )
    if not parts:
        return Q(pk__in=[])
    return functools.reduce(operator.or_, parts)


def priority_q() -> Q:
    """A request goes first in the queue: de droit, or its agent belongs to a priority
    public (the same rule as `ReviewRequest.priority_now`, as a condition)."""
    grounds = AgentProfile.objects.filter(priority_public_q(), pk=OuterRef("agent_id"))
    return Q(restructuring__isnull=False) | Q(Exists(grounds))


def refresh_priority_of(
    sender, *, agent: AgentProfile | None = None, agents: list[int] = (), **kwargs
) -> None:
    """The priority grounds of `agent`, or of the profiles `agents` (pks, an import's),
    changed: their requests' stored priority follows, in one UPDATE per chunk."""
    if agent is not None:
        ReviewRequest.objects.filter(agent=agent).refresh_priority()
    for start in range(0, len(agents), 5_000):
        ReviewRequest.objects.filter(agent__in=agents[start : start + 5_000]).refresh_priority()


class RestructuringQuerySet(models.QuerySet):
    def covering(self, agent: AgentProfile, day: datetime.date) -> "RestructuringQuerySet":
        """The operations of the agent's employer concerning their service on `day`."""
        return self.filter(
            organisation=agent.organisation_id,
            services=agent.service_id,
            starts_on__lte=day,
            ends_on__gte=day,
        )


class Restructuring(models.Model):
    """A restructuring operation decided by ministerial arrêté: a request made by an agent
    of a service it concerns, during its period (both days included), is de droit."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="employeur", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("intitulé de l’opération", max_length=200)
    decree_reference = models.CharField("référence de l’arrêté ministériel", max_length=200)
    decree_date = models.DateField("date de l’arrêté")
    services = models.ManyToManyField(Service, verbose_name="services concernés", related_name="+")
    starts_on = models.DateField("début de l’opération")
    ends_on = models.DateField("fin de l’opération")

    objects = RestructuringQuerySet.as_manager()

    class Meta:
        verbose_name = "opération de restructuration"
        verbose_name_plural = "opérations de restructuration"
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="restructuring_ends_after_start",
                violation_error_message="L’opération doit finir après son début.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def legal_basis(self) -> str:
        return (
            f"{DE_DROIT_LEGAL_BASIS} — opération de restructuration : {self.title}, "
            f"arrêté du {french.day(self.decree_date)}"
        )


class ReviewRequestQuerySet(models.QuerySet):
    def as_of(self, today: datetime.date) -> "ReviewRequestQuerySet":
        """Re-annotate `state` for another day than today (tests, jobs run for a date)."""
        return self.annotate(state=state_as_of(today))

    def visible_to(self, user: User) -> "ReviewRequestQuerySet":
        """The requests a user may read: their own, their team's, their employers' for HR."""
        return self.filter(
            Q(agent__user=user)
            | Q(agent__manager=user)
            | Q(organisation__in=user.organisations_for(Role.HR))
        )

    def decidable_by(self, user: User) -> "ReviewRequestQuerySet":
        """The requests a user may decide: their team's, or all of their employers' for HR."""
        return self.filter(
            Q(agent__manager=user) | Q(organisation__in=user.organisations_for(Role.HR))
        ).exclude(agent__user=user)

    def in_state(self, *states: str, today: datetime.date | None = None) -> "ReviewRequestQuerySet":
        """The requests in one of `states` as of `today` (`in_state_q`): filter on the state
        through this, never on the `state` annotation, which no index serves."""
        return self.filter(in_state_q(states, today or deadlines.legal_today()))

    def awaiting_decision(self, today: datetime.date | None = None) -> "ReviewRequestQuerySet":
        """Requests still awaiting a decision today."""
        return self.in_state(*AWAITING_DECISION, today=today)

    def matching(self, query: str) -> "ReviewRequestQuerySet":
        """The requests of agents whose name or e-mail address contains `query`."""
        return self.filter(name_contains(query, user="agent__user__"))

    def overdue(self, today: datetime.date) -> "ReviewRequestQuerySet":
        """Requests implicitly rejected by `today` whose rejection is not recorded yet."""
        return self.filter(status__in=AWAITING_DECISION, decision_deadline__lt=today)

    def postponement_over(self, today: datetime.date) -> "ReviewRequestQuerySet":
        """Postponed requests approved by `today` (the day after their postponement's end)
        whose approval is not recorded yet."""
        return self.filter(status=Status.POSTPONED, postponement_end__lt=today)

    def priority_first(self) -> "ReviewRequestQuerySet":
        """Priority publics first, then by approval date: the order in which places are given
        (the order of the `request_waiting_queue` index)."""
        return self.order_by("-is_priority", "decided_at", "pk")

    def refresh_priority(self) -> int:
        """Store again, in one UPDATE, whether each request is de droit or its agent belongs
        to a priority public today (after the agent's grounds changed)."""
        return self.update(is_priority=priority_q())


class ReviewRequestManager(models.Manager.from_queryset(ReviewRequestQuerySet)):
    def get_queryset(self) -> ReviewRequestQuerySet:
        return super().get_queryset().annotate(state=state_as_of(deadlines.legal_today()))


class ReviewRequest(models.Model):
    """An agent's request for a collective career-path review (or the employer's proposal)."""

    agent = models.ForeignKey(
        AgentProfile, verbose_name="agent", on_delete=models.PROTECT, related_name="review_requests"
    )
    # The employer when the request was made: its HR service decides and answers for it.
    organisation = models.ForeignKey(
        Organisation, verbose_name="employeur", on_delete=models.PROTECT, related_name="+"
    )
    initiative = models.CharField("initiative", max_length=20, choices=Initiative.choices)
    origin = models.CharField(
        "origine", max_length=20, choices=Origin.choices, default=Origin.OWN_INITIATIVE
    )
    # No index of its own: the (status, decision_deadline) index leads with it, and each
    # index more slows the nightly jobs that change a million statuses.
    status = models.CharField("statut enregistré", max_length=20, choices=Status.choices)

    needs = models.TextField("besoins et attentes", max_length=5000, blank=True)
    has_defined_project = models.BooleanField("projet professionnel défini", default=False)
    preferred_mode = models.CharField(
        "modalité souhaitée",
        max_length=20,
        choices=Mode.preference_choices(),
        default=Mode.ANY,
    )
    availability_constraints = models.TextField(
        "contraintes de disponibilité", max_length=2000, blank=True
    )
    wants_disability_officer = models.BooleanField(
        "souhaite associer le référent handicap", default=False
    )

    proposed_by = models.ForeignKey(
        User, verbose_name="proposée par", on_delete=models.PROTECT, null=True, related_name="+"
    )
    proposal_message = models.TextField("message de la proposition", max_length=3000, blank=True)

    created_at = models.DateTimeField("créée le", default=timezone.now)
    received_on = models.DateField("reçue le", null=True)
    decision_deadline = models.DateField("date limite de réponse", null=True, db_index=True)

    decided_by = models.ForeignKey(
        User, verbose_name="décidée par", on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField("décidée le", null=True)
    refusal_reason = models.TextField("motif du refus", max_length=3000, blank=True)
    postponement_reason = models.TextField("motif du report", max_length=3000, blank=True)
    postponement_start = models.DateField("report : début de la période proposée", null=True)
    postponement_end = models.DateField("report : fin de la période proposée", null=True)
    # Set on receipt when an operation concerns the agent's service: the request is de droit.
    restructuring = models.ForeignKey(
        Restructuring,
        verbose_name="opération de restructuration",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
    )
    # Goes first in the queue: de droit, or a priority public when approved or postponed;
    # kept true when the agent's grounds change (`refresh_priority`). Stored, so that an
    # index gives the queue's order (`priority_first`).
    is_priority = models.BooleanField("public prioritaire", default=False)
    # Whether the agent holds a seat for this request (a current enrolment), kept by the
    # services that place and withdraw. Stored, so that the queue is read off a partial
    # index of the few requests still waiting rather than by setting every approved request
    # ever made against every enrolment ever made.
    seated = models.BooleanField("a une place", default=False, editable=False)
    # The smallest "days before the deadline" step whose reminder went out.
    reminded_days_before = models.PositiveSmallIntegerField("dernier rappel (jours)", null=True)

    objects = ReviewRequestManager()

    class Meta:
        verbose_name = "demande de bilan"
        verbose_name_plural = "demandes de bilan"
        ordering = ["-created_at", "-pk"]
        base_manager_name = "objects"
        indexes = [
            models.Index(fields=["status", "decision_deadline"], name="request_status_deadline"),
            models.Index(fields=["organisation", "-created_at"], name="request_org_recent"),
            # The indicators select an employer's requests by their receipt date.
            models.Index(fields=["organisation", "received_on"], name="request_org_received"),
            # The waiting queue (`waiting_for_a_seat`) in its order: the approved requests,
            # and the postponed ones the calendar approves.
            models.Index(
                fields=["organisation", "-is_priority", "decided_at", "id"],
                # What tells the approved from the postponed ones today: with it, counting
                # and ranking the queue reads the index alone.
                include=["status", "postponement_end"],
                condition=Q(status__in=[Status.APPROVED, Status.POSTPONED], seated=False),
                name="request_waiting_queue",
            ),
            # The approved requests, the latest decision first (the disability officer's).
            models.Index(
                fields=["-decided_at", "-id"],
                condition=Q(status__in=[Status.APPROVED, Status.POSTPONED]),
                name="request_approved_recent",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agent"],
                condition=Q(status__in=LIVE),
                name="request_one_live_per_agent",
                violation_error_message="Cet agent a déjà une demande de bilan en cours.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=AWAITING_DECISION)
                | Q(received_on__isnull=False, decision_deadline__gt=F("received_on")),
                name="request_awaiting_has_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.REFUSED) | ~Q(refusal_reason=""),
                name="request_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[Status.POSTPONEMENT_REQUESTED, Status.POSTPONED])
                | (~Q(postponement_reason="") & Q(postponement_end__gte=F("postponement_start"))),
                name="request_postponement_has_reason_and_period",
            ),
            models.CheckConstraint(
                condition=Q(restructuring__isnull=True)
                | ~Q(status__in=[Status.REFUSED, Status.POSTPONEMENT_REQUESTED, Status.POSTPONED]),
                name="request_de_droit_never_refused_nor_postponed",
            ),
            models.CheckConstraint(
                condition=~Q(initiative=Initiative.EMPLOYER) | Q(proposed_by__isnull=False),
                name="request_proposal_has_author",
            ),
            # A proposal says so, whatever the agent answers when accepting it; an agent's
            # own request never claims to be one.
            models.CheckConstraint(
                condition=Q(initiative=Initiative.EMPLOYER, origin=Origin.EMPLOYER_PROPOSAL)
                | (~Q(initiative=Initiative.EMPLOYER) & ~Q(origin=Origin.EMPLOYER_PROPOSAL))
                | Q(origin=Origin.RESTRUCTURING),
                name="request_origin_matches_initiative",
            ),
        ]

    def __str__(self) -> str:
        return f"Demande {french.elide('de', self.agent)} du {french.day(self.created_at)}"

    # Reading the state -------------------------------------------------------

    def state_on(self, today: datetime.date) -> str:
        """The status as of `today` (the same rule as `state_as_of`, for one instance)."""
        if self.status in AWAITING_DECISION and self.decision_deadline < today:
            return Status.IMPLICITLY_REJECTED
        if self.status == Status.POSTPONED and self.postponement_end < today:
            return Status.APPROVED
        return self.status

    @property
    def current_state(self) -> str:
        # Rows from the default manager carry it; fresh instances compute it.
        return getattr(self, "state", None) or self.state_on(deadlines.legal_today())

    @property
    def state_label(self) -> str:
        return Status(self.current_state).label

    @property
    def state_badge(self) -> str:
        """The DSFR badge kind of the state (`BADGES`)."""
        return BADGES[self.current_state]

    @property
    def is_awaiting_decision(self) -> bool:
        return self.current_state in AWAITING_DECISION

    @property
    def is_proposed(self) -> bool:
        """The employer's proposal waits for the agent's answer."""
        return self.current_state == Status.PROPOSED

    @property
    def is_declined(self) -> bool:
        return self.current_state == Status.DECLINED

    @property
    def awaits_hr_agreement(self) -> bool:
        """A manager postponed it; the HR service has not agreed yet."""
        return self.current_state == Status.POSTPONEMENT_REQUESTED

    @property
    def is_approved(self) -> bool:
        return self.current_state == Status.APPROVED

    @property
    def is_postponed(self) -> bool:
        return self.current_state == Status.POSTPONED

    @property
    def is_refused(self) -> bool:
        return self.current_state == Status.REFUSED

    @property
    def is_implicitly_rejected(self) -> bool:
        """The deadline passed without a decision, recorded by the nightly job or not."""
        return self.current_state == Status.IMPLICITLY_REJECTED

    @property
    def can_answer_proposal(self) -> bool:
        return self.current_state in CAN_ANSWER_PROPOSAL

    @property
    def can_withdraw(self) -> bool:
        return self.current_state in CAN_WITHDRAW

    @property
    def can_approve(self) -> bool:
        return self.current_state in CAN_APPROVE

    @property
    def is_de_droit(self) -> bool:
        """Made within a restructuring operation: approved on receipt, never refused."""
        return self.restructuring_id is not None

    @property
    def can_refuse(self) -> bool:
        return self.current_state in CAN_REFUSE and not self.is_de_droit

    @property
    def can_postpone(self) -> bool:
        return self.current_state in CAN_POSTPONE and not self.is_de_droit

    @property
    def can_answer_postponement(self) -> bool:
        return self.current_state in CAN_ANSWER_POSTPONEMENT

    @property
    def can_choose_disability_officer(self) -> bool:
        """Only an agent covered by L5212-13 is asked, and may change their answer any time."""
        return (
            self.agent.covered_by_l5212_13 and self.current_state in CAN_CHOOSE_DISABILITY_OFFICER
        )

    @property
    def is_decidable(self) -> bool:
        """Some decision is still possible: approve, refuse or postpone."""
        return self.can_approve or self.can_refuse or self.can_postpone

    @property
    def is_closed(self) -> bool:
        return self.current_state not in LIVE

    @property
    def implicit_rejection_date(self) -> datetime.date | None:
        """The day silence becomes a rejection: the day after the deadline."""
        if self.decision_deadline is None:
            return None
        return self.decision_deadline + datetime.timedelta(days=1)

    @property
    def unrecorded_rejection_date(self) -> datetime.date | None:
        """The implicit rejection date when it is true today but the job has not recorded it."""
        recorded = self.status == Status.IMPLICITLY_REJECTED
        if self.is_implicitly_rejected and not recorded:
            return self.implicit_rejection_date
        return None

    def days_left(self, today: datetime.date | None = None) -> int | None:
        if self.decision_deadline is None:
            return None
        return deadlines.days_left(self.decision_deadline, today or deadlines.legal_today())

    # Changing the state ------------------------------------------------------
    # Each change locks the row, re-reads it, checks the rule, then records the
    # transition: of two people deciding at once, the second sees the first's decision.
    # Each returns the request as saved; the e-mails are sent by `bpp.requests.services`.

    def _locked(self) -> "ReviewRequest":
        return ReviewRequest.objects.select_for_update(of=("self",)).get(pk=self.pk)

    def _move(self, to: str, *, by: User | None, now: datetime.datetime, reason: str = "") -> None:
        RequestTransition.objects.create(
            request=self, from_status=self.status, to_status=to, by=by, at=now, reason=reason
        )
        self.status = to
        self.state = to
        if to in (Status.APPROVED, Status.POSTPONED):  # it may join the queue
            self.is_priority = self.priority_now

    @property
    def priority_now(self) -> bool:
        """De droit, or the agent belongs to a priority public today (`priority_q`)."""
        return self.restructuring_id is not None or self.agent.is_priority

    @staticmethod
    def _refuse_if_answered(locked: "ReviewRequest", today: datetime.date, allowed) -> None:
        state = locked.state_on(today)
        if state == Status.IMPLICITLY_REJECTED:
            raise RequestError(
                "Le délai de réponse a expiré le "
                f"{french.day(locked.decision_deadline)} : la demande est rejetée implicitement "
                "et ne peut plus être décidée."
            )
        if state not in allowed:
            raise RequestError(
                f"Cette demande a changé entre-temps : elle est désormais « {Status(state).label} »."
            )

    @classmethod
    @transaction.atomic
    def submit(
        cls, *, agent: AgentProfile, now: datetime.datetime | None = None, **answers
    ) -> "ReviewRequest":
        """The agent asks for a review: the request is received today and the deadline runs."""
        now = now or timezone.now()
        cls.close_overdue_of(agent, now=now)  # locks the agent: one submission at a time
        if cls.objects.filter(agent=agent, status__in=LIVE).exists():
            raise RequestError("Vous avez déjà une demande de bilan en cours.")
        review_request = cls(
            agent=agent,
            organisation=agent.organisation,
            initiative=Initiative.AGENT,
            status=Status.PENDING,
            created_at=now,
        )
        review_request._set_answers(agent, answers)
        review_request._receive(now)
        review_request.save()
        RequestTransition.objects.create(
            request=review_request, from_status="", to_status=Status.PENDING, by=agent.user, at=now
        )
        review_request._approve_if_de_droit(now)
        return review_request

    @classmethod
    @transaction.atomic
    def propose(
        cls, *, agent: AgentProfile, by: User, message: str, now: datetime.datetime | None = None
    ) -> "ReviewRequest":
        """The employer proposes a review; nothing runs until the agent accepts it."""
        now = now or timezone.now()
        cls.close_overdue_of(agent, now=now)
        if cls.objects.filter(agent=agent, status__in=LIVE).exists():
            raise RequestError(f"{agent} a déjà une demande ou une proposition de bilan en cours.")
        review_request = cls.objects.create(
            agent=agent,
            organisation=agent.organisation,
            initiative=Initiative.EMPLOYER,
            origin=Origin.EMPLOYER_PROPOSAL,
            status=Status.PROPOSED,
            proposed_by=by,
            proposal_message=message,
            created_at=now,
        )
        RequestTransition.objects.create(
            request=review_request, from_status="", to_status=Status.PROPOSED, by=by, at=now
        )
        return review_request

    @transaction.atomic
    def accept_proposal(
        self, *, now: datetime.datetime | None = None, **answers
    ) -> "ReviewRequest":
        """The agent accepts the employer's proposal: from now on it is their request."""
        now = now or timezone.now()
        locked = self._locked()
        if locked.status not in CAN_ANSWER_PROPOSAL:
            raise RequestError("Cette proposition n’attend plus de réponse.")
        locked._set_answers(locked.agent, answers)
        locked._receive(now)
        locked._move(Status.PENDING, by=locked.agent.user, now=now)
        locked.save()
        locked._approve_if_de_droit(now)
        return locked

    @transaction.atomic
    def decline_proposal(
        self, *, reason: str = "", now: datetime.datetime | None = None
    ) -> "ReviewRequest":
        now = now or timezone.now()
        locked = self._locked()
        if locked.status not in CAN_ANSWER_PROPOSAL:
            raise RequestError("Cette proposition n’attend plus de réponse.")
        locked._move(Status.DECLINED, by=locked.agent.user, now=now, reason=reason)
        locked.save(update_fields=["status"])
        return locked

    @transaction.atomic
    def choose_disability_officer(
        self, *, associate: bool, now: datetime.datetime | None = None
    ) -> "ReviewRequest":
        """The agent associates the référent handicap to their review, or no longer does."""
        now = now or timezone.now()
        locked = self._locked()
        if not locked.agent.covered_by_l5212_13:
            raise RequestError("Cette question ne concerne pas votre demande.")
        self._refuse_if_answered(locked, deadlines.legal_today(now), CAN_CHOOSE_DISABILITY_OFFICER)
        locked.wants_disability_officer = associate
        locked.save(update_fields=["wants_disability_officer"])
        return locked

    @transaction.atomic
    def withdraw(
        self, *, reason: str = "", now: datetime.datetime | None = None
    ) -> "ReviewRequest":
        """The agent withdraws a request that is still running."""
        now = now or timezone.now()
        locked = self._locked()
        self._refuse_if_answered(locked, deadlines.legal_today(now), CAN_WITHDRAW)
        locked._move(Status.WITHDRAWN, by=locked.agent.user, now=now, reason=reason)
        locked.save(update_fields=["status"])
        return locked

    @transaction.atomic
    def approve(self, *, by: User, now: datetime.datetime | None = None) -> "ReviewRequest":
        now = now or timezone.now()
        locked = self._locked()
        self._refuse_if_answered(locked, deadlines.legal_today(now), CAN_APPROVE)
        locked._drop_pending_postponement()
        locked._move(Status.APPROVED, by=by, now=now)
        locked.decided_by, locked.decided_at = by, now
        locked.save()
        return locked

    @transaction.atomic
    def refuse(
        self, *, by: User, reason: str, now: datetime.datetime | None = None
    ) -> "ReviewRequest":
        """Refuse, with the reason the agent will read (no appeal to the joint committee)."""
        now = now or timezone.now()
        reason = reason.strip()
        if not reason:
            raise RequestError("Le motif du refus est obligatoire : il sera communiqué à l’agent.")
        locked = self._locked()
        locked._refuse_if_de_droit("refusée")
        self._refuse_if_answered(locked, deadlines.legal_today(now), CAN_REFUSE)
        locked._drop_pending_postponement()
        locked._move(Status.REFUSED, by=by, now=now, reason=reason)
        locked.decided_by, locked.decided_at, locked.refusal_reason = by, now, reason
        locked.save()
        return locked

    @transaction.atomic
    def postpone(
        self,
        *,
        by: User,
        reason: str,
        start: datetime.date,
        end: datetime.date,
        now: datetime.datetime | None = None,
    ) -> "ReviewRequest":
        """Postpone for the continuity of the service, with the HR service's prior agreement.

        A line manager's postponement waits for HR; HR acting as the hierarchical
        authority agrees by deciding it.
        """
        now = now or timezone.now()
        today = deadlines.legal_today(now)
        reason = reason.strip()
        if len(reason) < POSTPONEMENT_REASON_MIN_LENGTH:
            raise RequestError(
                "Expliquez en quoi la continuité du service impose ce report "
                f"({POSTPONEMENT_REASON_MIN_LENGTH} caractères au moins) : "
                "ce motif sera communiqué à l’agent."
            )
        if start <= today or end < start:
            raise RequestError(
                "La période proposée doit commencer après aujourd’hui et finir après son début."
            )
        self._refuse_if_too_long(end, today)
        locked = self._locked()
        locked._refuse_if_de_droit("reportée")
        self._refuse_if_answered(locked, today, CAN_POSTPONE)
        by_hr = locked.organisation in by.organisations_for(Role.HR)
        to = Status.POSTPONED if by_hr else Status.POSTPONEMENT_REQUESTED
        locked._move(to, by=by, now=now, reason=reason)
        locked.postponement_reason, locked.postponement_start, locked.postponement_end = (
            reason,
            start,
            end,
        )
        fields = [
            "status",
            "postponement_reason",
            "postponement_start",
            "postponement_end",
            "is_priority",
        ]
        if by_hr:
            locked.decided_by, locked.decided_at = by, now
            fields += ["decided_by", "decided_at"]
        locked.save(update_fields=fields)
        return locked

    @transaction.atomic
    def answer_postponement(
        self, *, by: User, agree: bool, reason: str = "", now: datetime.datetime | None = None
    ) -> "ReviewRequest":
        """The HR service agrees to the postponement (it is decided) or declines it (back to
        the manager, whose deadline still runs)."""
        now = now or timezone.now()
        reason = reason.strip()
        if not agree and not reason:
            raise RequestError("Dites au manager pourquoi le service RH refuse ce report.")
        locked = self._locked()
        self._refuse_if_answered(locked, deadlines.legal_today(now), CAN_ANSWER_POSTPONEMENT)
        if agree:
            self._refuse_if_too_long(locked.postponement_end, deadlines.legal_today(now))
            locked._move(Status.POSTPONED, by=by, now=now, reason=reason)
            locked.decided_by, locked.decided_at = by, now
        else:
            locked._move(Status.PENDING, by=by, now=now, reason=reason)
            locked.postponement_reason = ""
            locked.postponement_start = locked.postponement_end = None
        locked.save()
        return locked

    # Helpers -----------------------------------------------------------------

    def _approve_if_de_droit(self, now: datetime.datetime) -> None:
        """Approve on receipt a request made within a restructuring operation."""
        operation = (
            Restructuring.objects.covering(self.agent, self.received_on).order_by("pk").first()
        )
        if operation is None:
            return
        self.restructuring = operation
        # Whatever brought the agent to ask, the operation gives the request its right.
        self.origin = Origin.RESTRUCTURING
        self._move(Status.APPROVED, by=None, now=now, reason=operation.legal_basis)
        self.decided_at = now
        self.save(update_fields=["status", "restructuring", "origin", "decided_at", "is_priority"])

    def _refuse_if_de_droit(self, verb: str) -> None:
        if self.is_de_droit:
            raise RequestError(
                f"Cette demande est de droit ({self.restructuring.legal_basis}) : "
                f"elle ne peut pas être {verb}."
            )

    @staticmethod
    def _refuse_if_too_long(end: datetime.date, today: datetime.date) -> None:
        latest = deadlines.latest_postponement_end(today)
        if end > latest:
            raise RequestError(
                "Un report est exceptionnel : décidé aujourd’hui, il doit finir au plus tard le "
                f"{french.day(latest)} ({settings.POSTPONEMENT_MAX_MONTHS} mois)."
            )

    def _set_answers(self, agent: AgentProfile, answers: dict) -> None:
        self.needs = answers["needs"].strip()
        if not self.needs:
            raise RequestError("Décrivez vos besoins et vos attentes : c’est obligatoire.")
        self.has_defined_project = bool(answers.get("has_defined_project"))
        self.preferred_mode = answers.get("preferred_mode") or Mode.ANY
        self.availability_constraints = answers.get("availability_constraints", "").strip()
        if self.initiative == Initiative.AGENT:
            origin = answers.get("origin") or Origin.OWN_INITIATIVE
            if origin not in dict(Origin.agent_choices()):
                raise RequestError("Choisissez ce qui vous amène à ce bilan dans la liste.")
            self.origin = origin
        # Offered only to agents covered by L5212-13.
        self.wants_disability_officer = agent.covered_by_l5212_13 and bool(
            answers.get("wants_disability_officer")
        )

    def _drop_pending_postponement(self) -> None:
        """A decision taken while a postponement awaits HR replaces that postponement."""
        if self.status == Status.POSTPONEMENT_REQUESTED:
            self.postponement_reason = ""
            self.postponement_start = self.postponement_end = None

    def _receive(self, now: datetime.datetime) -> None:
        self.received_on = deadlines.legal_today(now)
        self.decision_deadline = deadlines.decision_deadline(self.received_on)

    @classmethod
    @transaction.atomic
    def close_overdue_of(
        cls, agent: AgentProfile, *, now: datetime.datetime
    ) -> list["ReviewRequest"]:
        """Record the implicit rejection of the agent's overdue requests, so they may ask again.

        Locks the agent's profile: of two submissions at once, the second waits.
        """
        AgentProfile.objects.select_for_update().get(pk=agent.pk)
        closed = list(cls.objects.filter(agent=agent).overdue(deadlines.legal_today(now)))
        for overdue in closed:
            overdue._move(Status.IMPLICITLY_REJECTED, by=None, now=now)
            overdue.save(update_fields=["status"])
        return closed


class RequestTransition(models.Model):
    """One change of a request's status: who, when, from, to, why. Append-only."""

    request = models.ForeignKey(
        ReviewRequest, verbose_name="demande", on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField("de", max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField("vers", max_length=20, choices=Status.choices)
    # None: the application itself (the deadline passed).
    by = models.ForeignKey(
        User, verbose_name="par", on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField("le")
    reason = models.TextField("motif", max_length=3000, blank=True)

    class Meta:
        verbose_name = "changement de statut"
        verbose_name_plural = "historique des demandes"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"

    @property
    def label(self) -> str:
        """What happened, in a sentence of the history."""
        return self.get_to_status_display()

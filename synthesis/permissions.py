"""
Who may read, write and sign a synthesis.

The agent owns it. The cohort's leader co-writes and co-signs it; a provider's
consultant does too, but only until the agent has chosen whether to transmit it, and
in any case no longer than PROVIDER_ACCESS_DAYS after the cohort ends. An internal
CMC it was transmitted to reads it for the follow-up. The manager and the HR service
read it only under a live consent of the agent. Nobody else, HR admins included.
Section 2.5 is read by the agent and the leader only.

Views load a synthesis through `load_synthesis(user, pk, purpose)` on their first
line (several at once, for the cohort's ZIP: `load_syntheses`): no ground is a 404
(whoever guesses the number), a provider whose access has ended gets a 410 on its old
links.

The agent's manager today, and HR of the agent's employer, may ask the agent to share
the signed synthesis (`load_agent_to_ask`); they see the state of their ask, never the
document, until the agent accepts.
"""

import datetime
import enum
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bpp.http import Gone
from bpp.people.models import SYNTHESIS_READER_ROLES, AgentProfile, Role, User
from bpp.people.permissions import has_role
from cohorts.models import Cohort, CohortEvent, CohortTransition
from cohorts.permissions import provider_access_ended
from synthesis.models import (
    Audience,
    Basis,
    Capacity,
    Consent,
    FollowUp,
    LeaderConsent,
    ProviderCopy,
    ShareRequest,
    Status,
    SupportRequest,
    Synthesis,
)

WRITERS = {Basis.OWNER, Basis.LEADER, Basis.PROVIDER}
# Those who read section 2.5 (health, family, money): never anyone the agent shares with.
PERSONAL_READERS = WRITERS


class Purpose(enum.Enum):
    RECORD = "record"  # the synthesis page, which shows the agent the record of a destroyed one
    READ = "read"  # every ground: owner, leaders, follow-up CMC, manager or HR under consent
    WRITE = "write"  # the agent and the leaders (co-writing, comments, versions, signature)
    OWN = "own"  # the agent alone: finalise, reopen, share, transmit, destroy


class ProviderAccessEnded(Gone):
    """The provider's access to this synthesis has ended (HTTP 410 on its old links)."""

    def __init__(self):
        super().__init__("synthesis/gone.html")


# The provider's access: one rule, for one synthesis and for a queryset ---------------


def provider_access_ends(synthesis: Synthesis) -> datetime.datetime | None:
    """When the provider loses access: at the agent's choice, or N days after the end."""
    if synthesis.transmission_decided_at is not None:
        return synthesis.transmission_decided_at
    return synthesis.enrolment.cohort.provider_access_ends


def provider_access_ended_q(now: datetime.datetime) -> Q:
    """The syntheses whose provider's access has ended by `now` (as `provider_access_ends` and
    `Cohort.provider_access_ends`, for a queryset)."""
    cutoff = now - datetime.timedelta(days=settings.PROVIDER_ACCESS_DAYS)
    return Q(transmission_decided_at__isnull=False) | Q(enrolment__cohort__concluded_at__lte=cutoff)


def _provider_ids(user: User) -> list[int]:
    return [a.provider_id for a in user.role_assignments_cache if a.role == Role.PROVIDER]


def works_for_provider_of(user: User, synthesis: Synthesis) -> bool:
    provider_id = synthesis.enrolment.cohort.provider_id
    return provider_id is not None and provider_id in _provider_ids(user)


# A leader who joined after the synthesis was opened: one rule, for one and for a list ---


def _joined(user: User) -> Subquery:
    """When `user` last joined the cohort of the outer synthesis as a leader (None: before
    any record, i.e. when the cohort was set up)."""
    return Subquery(
        CohortTransition.objects.filter(
            cohort=OuterRef("enrolment__cohort"), kind=CohortEvent.LEADER_ADDED, leader=user
        )
        .order_by("-at")
        .values("at")[:1]
    )


def awaits_agent_agreement(user: User, synthesis: Synthesis) -> bool:
    """Whether `user`, a leader, joined the cohort after the synthesis was opened and the
    agent has not agreed since (as `led_by` says for a list)."""
    joined = (
        CohortTransition.objects.filter(
            cohort=synthesis.enrolment.cohort_id, kind=CohortEvent.LEADER_ADDED, leader=user
        )
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    if joined is None or joined <= synthesis.created_at:
        return False
    return not synthesis.leader_consents.filter(
        leader=user, accepted=True, answered_at__gte=joined
    ).exists()


@dataclass
class JoinedLeader:
    """A leader who joined after the synthesis was opened, and the agent's answer."""

    leader: User
    joined_at: datetime.datetime
    consent: "LeaderConsent | None"  # the answer given since they joined, if any

    @property
    def is_pending(self) -> bool:
        return self.consent is None


def leaders_joined_after_opening(synthesis: Synthesis) -> list[JoinedLeader]:
    """The current leaders who joined after the synthesis was opened (one query, and one
    more for the agent's answers when there are such leaders)."""
    cohort = synthesis.enrolment.cohort
    joined: dict[int, tuple[User, datetime.datetime]] = {}
    for entry in CohortTransition.objects.filter(
        cohort=cohort,
        kind=CohortEvent.LEADER_ADDED,
        leader__in=cohort.leaders.all(),
        at__gt=synthesis.created_at,
    ).select_related("leader"):
        if entry.leader_id not in joined or joined[entry.leader_id][1] < entry.at:
            joined[entry.leader_id] = (entry.leader, entry.at)
    if not joined:
        return []
    answers = {c.leader_id: c for c in synthesis.leader_consents.filter(leader__in=joined)}
    found = []
    for leader_id, (leader, at) in joined.items():
        answer = answers.get(leader_id)
        current = answer if answer is not None and answer.answered_at >= at else None
        found.append(JoinedLeader(leader, at, current))
    return sorted(found, key=lambda j: j.joined_at)


def led_by(user: User, now: datetime.datetime) -> QuerySet:
    """The syntheses `user` co-writes as a leader: of the cohorts they lead, without those
    they joined after the opening unless the agent agreed, nor those a provider may no
    longer open."""
    agreed = LeaderConsent.objects.filter(
        synthesis=OuterRef("pk"), leader=user, accepted=True, answered_at__gte=OuterRef("joined")
    )
    led = (
        Synthesis.objects.alive()
        .of_cohorts_led_by(user)
        .annotate(joined=_joined(user))
        .filter(Q(joined__isnull=True) | Q(joined__lte=F("created_at")) | Exists(agreed))
    )
    providers = _provider_ids(user)
    if providers:
        led = led.exclude(
            Q(enrolment__cohort__provider__in=providers) & provider_access_ended_q(now)
        )
    return led


# Grounds --------------------------------------------------------------------------


def basis_of(
    user: User,
    synthesis: Synthesis,
    *,
    consents: dict[str, Consent],
    now: datetime.datetime | None = None,
) -> Basis | None:
    """On what ground `user` may read `synthesis`, or None.

    `consents` holds the agent's live consents by audience. Raises ProviderAccessEnded
    for the provider's consultants once their access is over.
    """
    agent = synthesis.enrolment.agent
    if agent.user_id == user.pk:
        return Basis.OWNER
    if synthesis.is_destroyed:
        return None
    if synthesis.enrolment.cohort.leaders.filter(pk=user.pk).exists():
        as_provider = works_for_provider_of(user, synthesis)
        if as_provider:
            ends = provider_access_ends(synthesis)
            if ends is not None and (now or timezone.now()) >= ends:
                raise ProviderAccessEnded
        if not awaits_agent_agreement(user, synthesis):
            return Basis.PROVIDER if as_provider else Basis.LEADER
    if synthesis.transmitted_to_id == user.pk:
        return Basis.FOLLOW_UP
    manager = consents.get(Basis.MANAGER)
    if manager and manager.recipient_id == user.pk and manager.still_applies():
        return Basis.MANAGER
    hr = consents.get(Basis.HR)
    if hr and hr.still_applies() and has_role(user, Role.HR, hr.organisation):
        return Basis.HR
    return None


def shared_with(user: User) -> QuerySet:
    """The syntheses shared with `user` under a live consent that still applies (as
    `basis_of` says for one): naming them as the agent's manager today, or naming the HR
    service of the agent's employer, where they are HR."""
    live = Consent.objects.live().filter(synthesis=OuterRef("pk"))
    return Synthesis.objects.alive().filter(
        Q(
            Exists(live.filter(audience=Basis.MANAGER, recipient=user)),
            enrolment__agent__manager=user,
        )
        | Q(
            Exists(
                live.filter(
                    audience=Basis.HR, organisation=OuterRef("enrolment__agent__organisation")
                )
            ),
            enrolment__agent__organisation__in=user.organisations_for(Role.HR),
        )
    )


def may_write(basis: Basis | None) -> bool:
    return basis in WRITERS


def may_read_personal_situation(basis: Basis | None) -> bool:
    return basis in PERSONAL_READERS


def signs_as(basis: Basis | None) -> str | None:
    """The capacity in which someone on this basis signs, if any."""
    if basis == Basis.OWNER:
        return Capacity.AGENT
    if basis in (Basis.LEADER, Basis.PROVIDER):
        return Capacity.LEADER
    return None


def may_see_syntheses(user: User) -> bool:
    """The list of syntheses: those who lead cohorts, and managers or HR who may be shared."""
    return not SYNTHESIS_READER_ROLES.isdisjoint(user.roles)


# The loader -------------------------------------------------------------------------


@dataclass
class Access:
    """A synthesis, the ground on which the user sees it, and the agent's live consents."""

    synthesis: Synthesis
    basis: Basis
    consents: dict[str, Consent]

    @property
    def is_owner(self) -> bool:
        return self.basis == Basis.OWNER

    @property
    def may_write(self) -> bool:
        return may_write(self.basis)

    @property
    def may_read_personal_situation(self) -> bool:
        return may_read_personal_situation(self.basis)

    @property
    def signs_as(self) -> str | None:
        return signs_as(self.basis)


def _syntheses() -> QuerySet:
    return Synthesis.objects.select_related(
        "enrolment__agent__user",
        "enrolment__agent__manager",
        "enrolment__agent__organisation",
        "enrolment__cohort__provider",
        "transmitted_to",
        "key",  # the data key, to read the content without one more query
    )


def load_led_cohort(user: User, pk: int) -> Cohort:
    """A cohort `user` leads (its syntheses' list and ZIP), or 404; 410 for a provider
    whose access to the cohort has ended."""
    cohort = get_object_or_404(Cohort.objects.led_by(user), pk=pk)
    if provider_access_ended(user, cohort, timezone.now()):
        raise Gone
    return cohort


def load_synthesis(user: User, pk: int, purpose: Purpose = Purpose.READ) -> Access:
    """The synthesis `pk` for `user` and `purpose`: 404 without a ground, 410 for a provider
    whose access has ended. Of a destroyed synthesis, only its agent sees the record."""
    synthesis = get_object_or_404(_syntheses(), pk=pk)
    return _access(user, synthesis, synthesis.consents.live().select_related("recipient"), purpose)


def load_syntheses(user: User, pks: list[int], purpose: Purpose = Purpose.READ) -> list[Access]:
    """The syntheses `pks` for `user` and `purpose`, each by the rules of `load_synthesis`
    (the syntheses and their consents read in two queries): 404 or 410 if any one is."""
    live = Consent.objects.live().select_related("recipient")
    syntheses = (
        _syntheses()
        .filter(pk__in=pks)
        .prefetch_related(Prefetch("consents", live, to_attr="live_consents"))
    )
    by_pk = {synthesis.pk: synthesis for synthesis in syntheses}
    if set(pks) - set(by_pk):
        raise Http404
    return [_access(user, by_pk[pk], by_pk[pk].live_consents, purpose) for pk in pks]


def _access(user: User, synthesis: Synthesis, live_consents, purpose: Purpose) -> Access:
    consents = {c.audience: c for c in live_consents}
    for consent in consents.values():
        consent.synthesis = synthesis  # `still_applies` reads the agent through it
    basis = basis_of(user, synthesis, consents=consents)
    if (
        basis is None
        or (purpose is Purpose.WRITE and not may_write(basis))
        or (purpose is Purpose.OWN and basis != Basis.OWNER)
        or (synthesis.is_destroyed and purpose is not Purpose.RECORD)
    ):
        raise Http404
    return Access(synthesis, basis, consents)


# Share requests -----------------------------------------------------------------------


def asks_as(user: User, agent: AgentProfile) -> list[str]:
    """The audiences in which `user` may ask `agent` to share: as their manager today, as
    HR of their employer (as `ShareRequestQuerySet.applying` says of an ask)."""
    if agent.user_id == user.pk or not user.is_active:
        return []
    audiences = []
    if agent.manager_id == user.pk:
        audiences.append(Audience.MANAGER)
    if has_role(user, Role.HR, agent.organisation):
        audiences.append(Audience.HR)
    return audiences


@dataclass
class AskFor:
    """An agent the user may ask, the synthesis that can be asked for, and as whom."""

    agent: AgentProfile
    synthesis: Synthesis | None  # their latest signed synthesis, if any
    audiences: list[str]


def load_agent_to_ask(user: User, pk: int) -> AskFor:
    """The agent `pk`, for their manager today or HR of their employer; 404 for anyone else."""
    agents = AgentProfile.objects.select_related("user", "organisation", "manager").filter(
        Q(manager=user) | Q(organisation__in=user.organisations_for(Role.HR))
    )
    agent = get_object_or_404(agents.exclude(user=user), pk=pk)
    audiences = asks_as(user, agent)
    if not audiences:
        raise Http404
    synthesis = (
        Synthesis.objects.filter(enrolment__agent=agent, status=Status.SIGNED)
        .select_related("enrolment__agent__organisation")
        .order_by("-signed_at", "-pk")
        .first()
    )
    return AskFor(agent, synthesis, audiences)


def load_share_request(user: User, pk: int) -> ShareRequest:
    """An ask made to `user` about one of their syntheses (the agent answers), or 404."""
    return get_object_or_404(
        ShareRequest.objects.select_related(
            "asked_by", "organisation", "synthesis__enrolment__agent__user"
        ).filter(synthesis__enrolment__agent__user=user),
        pk=pk,
    )


# Copies a provider downloaded -----------------------------------------------------------


def may_attest_destruction(user: User) -> bool:
    """The attestation page: a provider's consultants, and whoever downloaded as one (their
    role may have ended with the contract; their duty to attest has not)."""
    return has_role(user, Role.PROVIDER) or (
        user.is_authenticated and ProviderCopy.objects.filter(consultant=user).exists()
    )


# The follow-ups of the action plan ------------------------------------------------------

# Who reads a follow-up the agent chose to share: those who co-wrote the plan, and the
# internal CMC who keeps the synthesis for the follow-up. Never the manager nor HR.
FOLLOW_UP_READERS = {Basis.LEADER, Basis.PROVIDER, Basis.FOLLOW_UP}


def follow_up_basis(user: User, follow_up: FollowUp) -> Basis | None:
    """On what ground `user` reads `follow_up`: the agent always; a leader (or the
    follow-up CMC) once it is answered and shared; nobody else."""
    synthesis = follow_up.synthesis
    if synthesis.enrolment.agent.user_id == user.pk:
        return Basis.OWNER
    if not (follow_up.is_answered and follow_up.shared_with_leader):
        return None
    # No consent is passed: the manager and HR have no ground here, whatever they hold.
    basis = basis_of(user, synthesis, consents={})
    return basis if basis in FOLLOW_UP_READERS else None


def load_follow_up(user: User, pk: int, *, to_answer: bool = False) -> tuple[FollowUp, Basis]:
    """The follow-up `pk` and the ground on which `user` reads it: its agent (to answer,
    them alone), or a reader of the shared answers; 404 for anyone else, 410 for a
    provider whose access has ended."""
    follow_up = get_object_or_404(
        FollowUp.objects.filter(synthesis__destroyed_at__isnull=True).select_related(
            "synthesis__enrolment__agent__user", "synthesis__enrolment__cohort", "synthesis__key"
        ),
        pk=pk,
    )
    basis = follow_up_basis(user, follow_up)
    if basis is None or (to_answer and basis != Basis.OWNER):
        raise Http404
    return follow_up, basis


def shared_follow_ups(user: User, cohort: Cohort) -> QuerySet:
    """The answered follow-ups of `cohort` whose agents shared them with `user`, a leader."""
    return (
        FollowUp.objects.shared_with_leaders()
        .filter(synthesis__in=led_by(user, timezone.now()).filter(enrolment__cohort=cohort))
        .select_related("synthesis__enrolment__agent__user", "synthesis__key")
        .order_by("synthesis__enrolment__agent__user__last_name", "synthesis", "months")
    )


# The support interview --------------------------------------------------------------


def load_support_request(user: User, pk: int) -> SupportRequest:
    """A support request of a synthesis `user` co-writes as a leader, or 404."""
    return get_object_or_404(
        SupportRequest.objects.filter(synthesis__in=led_by(user, timezone.now())).select_related(
            "synthesis__enrolment__agent__user",
            "synthesis__enrolment__cohort",
            "synthesis__key",
            "session",
            "decided_by",
        ),
        pk=pk,
    )


def open_support_requests(user: User, cohort: Cohort) -> QuerySet:
    """The support requests awaiting an answer in `cohort`, which `user` leads."""
    return (
        SupportRequest.objects.open()
        .filter(synthesis__in=led_by(user, timezone.now()).filter(enrolment__cohort=cohort))
        .select_related("synthesis__enrolment__agent__user")
        .order_by("created_at", "pk")
    )

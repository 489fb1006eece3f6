"""
Who may read, write and sign a synthesis (the synthesis part of bpp.permissions).

The agent owns it. The cohort's leader co-writes and co-signs it; a provider's
consultant does too, but only until the agent has chosen whether to transmit it, and
in any case no longer than PROVIDER_ACCESS_DAYS after the cohort ends. An internal
CMC it was transmitted to reads it for the follow-up. The manager and the HR service
read it only under a live consent of the agent. Nobody else, HR admins included.
Section 2.5 is read by the agent and the leader only.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from bpp.people.models import Role, User
from bpp.people.permissions import has_role
from synthesis.models import Basis, Capacity, Synthesis

WRITERS = {Basis.OWNER, Basis.LEADER, Basis.PROVIDER}
# Those who read section 2.5 (health, family, money): never anyone the agent shares with.
PERSONAL_READERS = WRITERS


class ProviderAccessEnded(Exception):
    """The provider's access to this synthesis has ended (HTTP 410 on its old links)."""


def provider_access_ends(synthesis: Synthesis) -> datetime.datetime | None:
    """When the provider loses access: at the agent's choice, or N days after the end."""
    cohort = synthesis.enrolment.cohort
    if synthesis.transmission_decided_at is not None:
        return synthesis.transmission_decided_at
    if cohort.concluded_at is not None:
        return cohort.concluded_at + datetime.timedelta(days=settings.PROVIDER_ACCESS_DAYS)
    return None


def works_for_provider_of(user: User, synthesis: Synthesis) -> bool:
    provider_id = synthesis.enrolment.cohort.provider_id
    return provider_id is not None and any(
        a.role == Role.PROVIDER and a.provider_id == provider_id
        for a in user.role_assignments_cache
    )


def basis_of(
    user: User,
    synthesis: Synthesis,
    *,
    live_audiences: set[str],
    now: datetime.datetime | None = None,
) -> Basis | None:
    """On what ground `user` may read `synthesis`, or None.

    `live_audiences` holds the audiences of the agent's live consents. Raises
    ProviderAccessEnded for the provider's consultants once their access is over.
    """
    agent = synthesis.enrolment.agent
    if agent.user_id == user.pk:
        return Basis.OWNER
    if synthesis.is_destroyed:
        return None
    if works_for_provider_of(user, synthesis):
        ends = provider_access_ends(synthesis)
        if ends is not None and (now or timezone.now()) >= ends:
            raise ProviderAccessEnded
        return Basis.PROVIDER
    if synthesis.enrolment.cohort.leaders.filter(pk=user.pk).exists():
        return Basis.LEADER
    if synthesis.transmitted_to_id == user.pk:
        return Basis.FOLLOW_UP
    if Basis.MANAGER in live_audiences and agent.manager_id == user.pk:
        return Basis.MANAGER
    if Basis.HR in live_audiences and has_role(user, Role.HR, agent.organisation):
        return Basis.HR
    return None


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

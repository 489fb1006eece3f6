"""
Who may read, decide, answer or propose a review request.

Views load a request through `load_request(user, pk, purpose)` on their first line:
it returns the request for that purpose or raises 404, so a request the user may not
see, or may not act on, does not exist for them whoever guesses its number.
"""

import enum

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from bpp.people.models import AgentProfile, Role, User
from bpp.people.permissions import has_role, is_hr_of
from bpp.requests.models import ReviewRequest


class Purpose(enum.Enum):
    READ = "read"  # the agent, their manager, the HR service of the employer
    OWN = "own"  # the agent alone: answer a proposal, withdraw
    DECIDE = "decide"  # the line manager or the HR service, never the agent
    ANSWER_POSTPONEMENT = "answer_postponement"  # the HR service


def may_decide(user: User, review_request: ReviewRequest) -> bool:
    """The agent's line manager, or the HR service of the agent's employer; never the agent."""
    if review_request.agent.user_id == user.pk:
        return False
    return review_request.agent.manager_id == user.pk or is_hr_of(user, review_request.organisation)


def may_answer_postponement(user: User, review_request: ReviewRequest) -> bool:
    """The HR service gives (or not) its prior agreement to a postponement."""
    return review_request.agent.user_id != user.pk and is_hr_of(user, review_request.organisation)


def may_propose(user: User, agent: AgentProfile) -> bool:
    """The agent's manager or their employer's HR service may propose a review to them."""
    if agent.user_id == user.pk:
        return False
    return agent.manager_id == user.pk or is_hr_of(user, agent.organisation)


def may_see_requests_to_decide(user: User) -> bool:
    """Managers and HR services have a list of the requests they decide."""
    return has_role(user, Role.MANAGER) or has_role(user, Role.HR)


def _requests() -> QuerySet:
    return ReviewRequest.objects.select_related(
        "agent__user", "agent__service", "agent__manager", "organisation", "proposed_by"
    )


def load_request(user: User, pk: int, purpose: Purpose = Purpose.READ) -> ReviewRequest:
    """The request `pk` for `user` and `purpose`, or 404."""
    if purpose is Purpose.OWN:
        return get_object_or_404(_requests().filter(agent__user=user), pk=pk)
    if purpose is Purpose.DECIDE:
        return get_object_or_404(_requests().decidable_by(user), pk=pk)
    review_request = get_object_or_404(_requests().visible_to(user), pk=pk)
    if purpose is Purpose.ANSWER_POSTPONEMENT and not may_answer_postponement(user, review_request):
        raise Http404
    return review_request


def load_agent_for_proposal(user: User, pk: int) -> AgentProfile:
    """The agent `pk` to whom `user` may propose a review, or 404."""
    agent = get_object_or_404(AgentProfile.objects.select_related("user", "organisation"), pk=pk)
    if not may_propose(user, agent):
        raise Http404
    return agent

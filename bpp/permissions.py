"""
Who may do what, in one place.

Each predicate answers one question about one user and, where it matters, one
object. Views use them through `role_required` (a page of a role) or through the
object-loading helpers of each app, which return 404 for what the user may not see.
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from bpp.models import AgentProfile, Organisation, Role, User

SESSION_ROLE_KEY = "current_role"


def has_role(user: User, role: str, organisation: Organisation | None = None) -> bool:
    """Whether `user` holds `role`, anywhere or in `organisation`."""
    if not user.is_authenticated or not user.is_active:
        return False
    if organisation is None:
        return role in user.roles
    return any(org.pk == organisation.pk for org in user.organisations_for(role))


def may_use_admin_site(user: User) -> bool:
    """The admin site is for superusers and HR admins, each limited to their employers."""
    return user.is_active and (user.is_superuser or has_role(user, Role.HR_ADMIN))


def current_role(request: HttpRequest) -> str | None:
    """The role the user acts in now: the one chosen in the session, else their main one.

    A CMC or a manager is usually an agent too; their work role comes first.
    """
    roles = request.user.roles if request.user.is_authenticated else []
    chosen = request.session.get(SESSION_ROLE_KEY)
    if chosen in roles:
        return chosen
    work_roles = [role for role in roles if role != Role.AGENT]
    return (work_roles or roles or [None])[0]


def set_current_role(request: HttpRequest, role: str) -> None:
    if role not in request.user.roles:
        raise PermissionDenied
    request.session[SESSION_ROLE_KEY] = role
    request.role = role


def role_required(role: str) -> Callable:
    """Give the view to users who hold `role` (403 to the others) and make it current."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not has_role(request.user, role):
                raise PermissionDenied
            if request.session.get(SESSION_ROLE_KEY) != role:
                set_current_role(request, role)
            request.role = role
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# Requests --------------------------------------------------------------------


def is_hr_of(user: User, organisation: Organisation) -> bool:
    return has_role(user, Role.HR, organisation)


def may_decide(user: User, review_request) -> bool:
    """The agent's line manager, or the HR service of the agent's employer; never the agent."""
    if review_request.agent.user_id == user.pk:
        return False
    return review_request.agent.manager_id == user.pk or is_hr_of(user, review_request.organisation)


def may_answer_postponement(user: User, review_request) -> bool:
    """The HR service gives (or not) its prior agreement to a postponement."""
    return review_request.agent.user_id != user.pk and is_hr_of(user, review_request.organisation)


def may_propose(user: User, agent: AgentProfile) -> bool:
    """The agent's manager or their employer's HR service may propose a review to them."""
    if agent.user_id == user.pk:
        return False
    return agent.manager_id == user.pk or is_hr_of(user, agent.organisation)


# Cohorts ---------------------------------------------------------------------


def organisations_running_cohorts(user: User) -> list[Organisation]:
    """The employers whose offer the user manages: as HR, CMC or HR admin."""
    found = {}
    for role in (Role.HR, Role.CMC, Role.HR_ADMIN):
        for organisation in user.organisations_for(role):
            found[organisation.pk] = organisation
    return list(found.values())


def may_manage_cohorts(user: User, organisation: Organisation | None = None) -> bool:
    organisations = organisations_running_cohorts(user)
    if organisation is None:
        return bool(organisations)
    return any(o.pk == organisation.pk for o in organisations)

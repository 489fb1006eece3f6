"""
Roles: who holds which, which one a person acts in now, and the pages of a role.

The predicates of each domain (requests, cohorts, syntheses) live in that app's own
`permissions.py` and build on `has_role`.
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from bpp.people.models import CalendarFeed, ImportRun, Organisation, Role, User

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


def is_hr_of(user: User, organisation: Organisation) -> bool:
    return has_role(user, Role.HR, organisation)


def user_passes(predicate: Callable[[User], bool]) -> Callable:
    """Give the view to users for whom `predicate(user)` holds, 403 to the others."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def load_calendar_owner(token: str) -> User:
    """The active person whose calendar subscription address carries `token`, or 404
    (an unknown, replaced or malformed token alike)."""
    return get_object_or_404(
        User.objects.filter(is_active=True), calendar_feed__token_hash=CalendarFeed.hash(token)
    )


def import_organisations(user: User) -> list[Organisation]:
    """The employers whose agents `user` imports from HR extracts: as their HR admin."""
    return user.organisations_for(Role.HR_ADMIN) if user.is_active else []


def load_import_organisation(user: User, pk: int) -> Organisation:
    """The employer `pk` whose agents `user` imports, or 404 (another employer's)."""
    for organisation in import_organisations(user):
        if organisation.pk == pk:
            return organisation
    raise Http404("Aucun employeur de ce numéro parmi les vôtres.")


def load_import_run(user: User, pk: int) -> ImportRun:
    """An import of one of the employers `user` imports for, or 404."""
    return get_object_or_404(
        ImportRun.objects.select_related("organisation", "by"),
        pk=pk,
        organisation__in=import_organisations(user),
    )

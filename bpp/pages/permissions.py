"""Who may read the pages that gather several apps (the role home pages use `role_required`)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from bpp.people.models import Organisation, Role, User


def indicator_organisations(user: User) -> list[Organisation]:
    """The employers whose indicators `user` reads: as HR or HR admin, by name."""
    found = {o.pk: o for role in (Role.HR, Role.HR_ADMIN) for o in user.organisations_for(role)}
    return sorted(found.values(), key=lambda o: o.name)


def may_read_indicators(user: User) -> bool:
    return bool(indicator_organisations(user))


def load_indicator_organisation(user: User, pk: int, *, to_declare: bool = False) -> Organisation:
    """The employer `pk` whose indicators `user` reads, or 404 (another employer's); with
    `to_declare`, 403 unless `user` may also answer its yearly quality questions."""
    for organisation in indicator_organisations(user):
        if organisation.pk == pk:
            if to_declare and not may_declare_quality(user, organisation):
                raise PermissionDenied
            return organisation
    raise Http404("Aucun employeur de ce numéro parmi les vôtres.")


def may_declare_quality(user: User, organisation: Organisation) -> bool:
    """Only the employer's HR admins answer the yearly quality questions."""
    return organisation in user.organisations_for(Role.HR_ADMIN)

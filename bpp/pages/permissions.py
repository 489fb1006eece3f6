"""Who may read the pages that gather several apps (the role home pages use `role_required`)."""

from bpp.people.models import Organisation, Role, User


def indicator_organisations(user: User) -> list[Organisation]:
    """The employers whose indicators `user` reads: as HR or HR admin, by name."""
    found = {o.pk: o for role in (Role.HR, Role.HR_ADMIN) for o in user.organisations_for(role)}
    return sorted(found.values(), key=lambda o: o.name)


def may_read_indicators(user: User) -> bool:
    return bool(indicator_organisations(user))

"""Who may run the offer and its cohorts."""

from bpp.people.models import Organisation, Role, User


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

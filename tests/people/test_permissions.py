import pytest
from django.contrib.auth.models import AnonymousUser

from bpp.people.models import Role
from bpp.people.permissions import has_role, may_use_admin_site
from tests.people.factories import AgentFactory, OrganisationFactory, RoleFactory

pytestmark = pytest.mark.django_db


def test_has_role_anywhere_and_in_an_organisation():
    assignment = RoleFactory(role=Role.HR)

    assert has_role(assignment.user, Role.HR)
    assert has_role(assignment.user, Role.HR, assignment.organisation)
    assert not has_role(assignment.user, Role.HR, OrganisationFactory())
    assert not has_role(assignment.user, Role.CMC)


def test_an_agent_holds_the_agent_role_in_their_employer_only():
    agent = AgentFactory()

    assert has_role(agent.user, Role.AGENT, agent.organisation)
    assert not has_role(agent.user, Role.AGENT, OrganisationFactory())


def test_nobody_anonymous_or_deactivated_holds_a_role():
    assignment = RoleFactory(role=Role.HR_ADMIN, user__is_active=False)

    assert not has_role(AnonymousUser(), Role.AGENT)
    assert not has_role(assignment.user, Role.HR_ADMIN)
    assert not may_use_admin_site(assignment.user)


def test_only_hr_admins_and_superusers_use_the_admin_site():
    assert may_use_admin_site(RoleFactory(role=Role.HR_ADMIN).user)
    assert not may_use_admin_site(RoleFactory(role=Role.HR).user)
    superuser = AgentFactory(user__is_superuser=True).user
    assert may_use_admin_site(superuser)

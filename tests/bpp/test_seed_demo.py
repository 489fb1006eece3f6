import pytest
from django.core.management import call_command

from bpp.models import AgentProfile, Provider, Role, RoleAssignment, User, priority_public_q

pytestmark = pytest.mark.django_db


def counts():
    return (User.objects.count(), AgentProfile.objects.count(), RoleAssignment.objects.count())


def test_it_builds_a_realistic_organisation(capsys):
    call_command("seed_demo")

    assert AgentProfile.objects.count() >= 40
    assert AgentProfile.objects.filter(priority_public_q()).count() >= 5
    assert set(AgentProfile.objects.values_list("category", flat=True)) == {"A", "B", "C"}
    for role in [Role.MANAGER, Role.HR, Role.HR_ADMIN, Role.DISABILITY_OFFICER, Role.PROVIDER]:
        assert RoleAssignment.objects.filter(role=role).exists(), role
    assert RoleAssignment.objects.filter(role=Role.CMC).count() == 2
    assert Provider.objects.count() == 1
    output = capsys.readouterr().out
    assert "agent@ecologie.demo.gouv.fr" in output
    assert "demo-bpp-2026" in output


def test_it_is_idempotent():
    call_command("seed_demo")
    before = counts()

    call_command("seed_demo")

    assert counts() == before


def test_demo_accounts_sign_in_with_the_printed_password(client):
    call_command("seed_demo")

    assert client.login(username="agent@ecologie.demo.gouv.fr", password="demo-bpp-2026")

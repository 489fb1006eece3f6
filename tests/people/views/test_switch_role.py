import pytest
from django.urls import reverse

from bpp.people.models import Civility, Role
from tests.people.factories import AgentFactory, RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cmc_agent(client):
    agent = AgentFactory()
    RoleFactory(user=agent.user, role=Role.CMC, organisation=agent.organisation)
    client.force_login(agent.user)
    return agent.user


def test_it_switches_to_a_role_the_user_holds(client, cmc_agent):
    client.post(reverse("switch_role"), {"role": Role.AGENT})

    assert client.get(reverse("home")).url == "/agent/"


def test_it_refuses_a_role_the_user_does_not_hold(client, cmc_agent):
    response = client.post(reverse("switch_role"), {"role": Role.HR_ADMIN})

    assert response.status_code == 403
    assert client.get(reverse("home")).url == "/conseiller/"


def test_an_unknown_role_changes_nothing(client, cmc_agent):
    client.post(reverse("switch_role"), {"role": "pirate"})

    assert client.get(reverse("home")).url == "/conseiller/"


def test_opening_a_page_of_another_held_role_makes_it_current(client, cmc_agent):
    client.get(reverse("portals:agent"))

    assert client.get(reverse("home")).url == "/agent/"


def test_the_header_offers_the_switch_only_to_users_with_several_roles(client, cmc_agent):
    assert "Changer de rôle" in client.get(reverse("portals:cmc")).text

    client.force_login(AgentFactory().user)
    assert "Changer de rôle" not in client.get(reverse("portals:agent")).text


def test_switching_needs_a_post(client, cmc_agent):
    assert client.get(reverse("switch_role")).status_code == 405


def test_the_header_titles_the_roles_after_the_person_s_civility(client, cmc_agent):
    cmc_agent.civility = Civility.MADAME
    cmc_agent.save()

    page = client.get(reverse("portals:cmc")).text

    assert "· Conseillère mobilité-carrière</a>" in page
    assert (
        'value="cmc" class="fr-translate__language fr-nav__link" aria-current="true">Conseillère'
        in page
    )

import pytest
from django.urls import reverse

from bpp.people.models import Role
from cohorts.models import Evaluation
from tests.clock import paris
from tests.cohorts.factories import EnrolmentFactory
from tests.people.factories import AgentFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "home"),
    [
        (Role.MANAGER, "/encadrement/"),
        (Role.HR, "/rh/"),
        (Role.CMC, "/conseiller/"),
        (Role.DISABILITY_OFFICER, "/referent-handicap/"),
        (Role.HR_ADMIN, "/administration-rh/"),
    ],
)
def test_it_sends_each_role_to_its_home(client, role, home):
    client.force_login(RoleFactory(role=role).user)

    assert client.get(reverse("home")).url == home


def test_an_agent_lands_on_their_portal(client):
    client.force_login(AgentFactory().user)

    assert client.get(reverse("home")).url == "/agent/"


def test_a_cmc_who_is_also_an_agent_lands_on_the_cmc_dashboard(client):
    agent = AgentFactory()
    RoleFactory(user=agent.user, role=Role.CMC, organisation=agent.organisation)
    client.force_login(agent.user)

    assert client.get(reverse("home")).url == "/conseiller/"


def test_a_user_without_any_role_is_told_what_to_do(client):
    client.force_login(UserFactory())

    response = client.get(reverse("home"))

    assert response.status_code == 403
    assert "aucun profil d’agent ni aucun rôle" in response.text


def test_the_agent_portal_shows_why_the_agent_is_a_priority_public(client):
    agent = AgentFactory(l5212_13=True)
    client.force_login(agent.user)

    response = client.get(reverse("portals:agent"))

    assert "Vous faites partie d’un public prioritaire" in response.text
    assert "Bénéficiaire de l’article L5212-13" in response.text


def test_the_manager_sees_only_their_own_team(client):
    manager = RoleFactory(role=Role.MANAGER).user
    mine = AgentFactory(manager=manager, user__last_name="Dedans")
    AgentFactory(user__last_name="Dehors")
    client.force_login(manager)

    response = client.get(reverse("portals:manager"), {"onglet": "equipe"})

    assert mine.user.last_name in response.text
    assert "Dehors" not in response.text


@pytest.mark.parametrize("team_size", [3, 60])
def test_the_team_page_runs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, team_size
):
    manager = RoleFactory(role=Role.MANAGER).user
    AgentFactory.create_batch(team_size, manager=manager)
    client.force_login(manager)

    # The team table, its pagination, the counts of the tabs.
    with django_assert_max_num_queries(13):
        response = client.get(reverse("portals:manager"), {"onglet": "equipe"})

    assert response.status_code == 200
    assert f"{team_size} agents" in response.text


def test_the_agent_portal_lists_the_questionnaires_awaiting_them_oldest_first(client):
    enrolment = EnrolmentFactory()
    Evaluation.objects.create(enrolment=enrolment, kind="froid", sent_at=paris(2026, 11, 20))
    Evaluation.objects.create(enrolment=enrolment, kind="chaud", sent_at=paris(2026, 6, 1))
    client.force_login(enrolment.agent.user)

    page = client.get(reverse("portals:agent")).text

    assert page.index("à chaud, à la fin du bilan") < page.index("à froid, quelques mois")

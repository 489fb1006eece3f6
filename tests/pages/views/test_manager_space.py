"""The manager's space: the team's requests and the syntheses shared with them."""

import datetime

import pytest
from django.urls import reverse

from bpp.people.models import Role
from bpp.requests import deadlines
from synthesis.models import grant, revoke
from tests.people.factories import AgentFactory, RoleFactory
from tests.requests.factories import ReviewRequestFactory
from tests.synthesis.factories import SynthesisFactory

pytestmark = pytest.mark.django_db


def test_it_lists_my_team_s_requests_and_the_syntheses_shared_with_me(client, world):
    manager = world.users["manager"]
    synthesis = SynthesisFactory(signed=True)
    agent = synthesis.enrolment.agent
    agent.manager = manager
    agent.save()
    ReviewRequestFactory(agent=AgentFactory(manager=manager, user__last_name="Équipière"))
    client.force_login(manager)

    team = client.get(reverse("portals:manager"), {"onglet": "equipe"}).text
    before = client.get(reverse("portals:manager"), {"onglet": "syntheses"}).text
    grant(synthesis, "manager")
    shared = client.get(reverse("portals:manager"), {"onglet": "syntheses"}).text
    revoke(synthesis, "manager")
    after = client.get(reverse("portals:manager"), {"onglet": "syntheses"}).text

    assert "Équipière" in team
    link = reverse("synthesis:detail", args=[synthesis.pk])
    assert link not in before and link in shared and link not in after


def test_a_request_less_than_seven_days_from_its_deadline_shows_in_red(client, world):
    manager = world.users["manager"]
    today = deadlines.legal_today()
    ReviewRequestFactory(
        agent=AgentFactory(manager=manager, organisation=world.organisation),
        received_on=today - datetime.timedelta(days=55),
        decision_deadline=today + datetime.timedelta(days=6),
    )
    client.force_login(manager)

    page = client.get(reverse("requests:to_decide")).text

    assert page.count("bpp-urgent") == 1  # not the world's request, two months away
    assert "6 jours restants" in page


def test_the_tabs_count_what_waits_what_is_decided_the_team_and_the_shared(client, world):
    manager = world.users["manager"]  # the world's agent awaits their decision
    ReviewRequestFactory(agent=AgentFactory(manager=manager), approved=True)
    AgentFactory(manager=manager)
    client.force_login(manager)

    response = client.get(reverse("portals:manager"))

    assert response.context["tabs"] == [
        ("a-decider", "À décider", 1),
        ("decidees", "Décidées", 1),
        ("equipe", "Mon équipe", 3),
        ("syntheses", "Synthèses partagées avec moi", 0),
    ]
    assert [r.pk for r in response.context["page_obj"]] == [world.request.pk]


@pytest.mark.parametrize("tab", ["a-decider", "decidees", "equipe", "syntheses"])
@pytest.mark.parametrize("rows", [2, 30])
def test_each_tab_runs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, tab, rows
):
    manager = RoleFactory(role=Role.MANAGER).user
    for index in range(rows):
        agent = AgentFactory(manager=manager)
        ReviewRequestFactory(agent=agent, approved=bool(index % 2))
    for _ in range(rows // 2):
        synthesis = SynthesisFactory(signed=True)
        synthesis.enrolment.agent.manager = manager
        synthesis.enrolment.agent.save()
        grant(synthesis, "manager")
    client.force_login(manager)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("portals:manager"), {"onglet": tab})

    assert response.status_code == 200
    assert len(response.context["page_obj"]) > 0

"""The lists of requests: to decide, HR's, the référent handicap's; bounded queries."""

import datetime

import pytest
from django.urls import reverse

from bpp.people.models import Role
from bpp.requests import deadlines
from bpp.requests.models import Status
from tests.people.factories import AgentFactory, RoleFactory
from tests.requests.factories import ReviewRequestFactory

pytestmark = pytest.mark.django_db


def team_requests(manager, count, **kwargs):
    return [
        ReviewRequestFactory(agent=AgentFactory(manager=manager), **kwargs) for _ in range(count)
    ]


def test_requests_to_decide_come_nearest_deadline_first_with_days_left(client):
    manager = RoleFactory(role=Role.MANAGER).user
    today = deadlines.legal_today()
    later = ReviewRequestFactory(
        agent=AgentFactory(manager=manager, user__last_name="Tardif"), received_on=today
    )
    sooner = ReviewRequestFactory(
        agent=AgentFactory(manager=manager, user__last_name="Pressé"),
        received_on=deadlines.add_months(today, -2),  # its deadline is today
    )
    ReviewRequestFactory(agent=AgentFactory(manager=manager, user__last_name="Hors"), overdue=True)
    client.force_login(manager)

    response = client.get(reverse("requests:to_decide"))

    assert list(response.context["page_obj"]) == [sooner, later]
    assert "dernier jour" in response.text
    assert "Hors" not in response.text  # implicitly rejected: nothing to decide any more


def test_the_full_view_shows_implicit_rejections(client):
    manager = RoleFactory(role=Role.MANAGER).user
    team_requests(manager, 1, overdue=True)
    client.force_login(manager)

    response = client.get(reverse("requests:to_decide"), {"onglet": "toutes"})

    assert "Rejetée implicitement" in response.text


@pytest.mark.parametrize("count", [2, 40])
def test_the_list_to_decide_runs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, count
):
    manager = RoleFactory(role=Role.MANAGER).user
    team_requests(manager, count)
    client.force_login(manager)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("requests:to_decide"))

    assert f"{count} demandes" in response.text


@pytest.mark.parametrize("count", [2, 30])
def test_the_hr_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries, count):
    organisation = AgentFactory().organisation
    hr = RoleFactory(role=Role.HR, organisation=organisation).user
    for index in range(count):
        agent = AgentFactory(service__organisation=organisation, organisation=organisation)
        state = [{}, {"approved": True}, {"postponement_requested": True}][index % 3]
        ReviewRequestFactory(agent=agent, **state)
    client.force_login(hr)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("portals:hr"))

    assert response.status_code == 200


def test_the_hr_counters_count_implicit_rejections_at_read_time(client):
    agent = AgentFactory()
    hr = RoleFactory(role=Role.HR, organisation=agent.organisation).user
    ReviewRequestFactory(agent=agent, overdue=True)
    client.force_login(hr)

    response = client.get(reverse("portals:hr"), {"onglet": "demandes"})

    counts = {label: count for _, label, count in response.context["states"]}
    assert counts[Status.IMPLICITLY_REJECTED.label] == 1
    assert counts[Status.PENDING.label] == 0


def test_the_disability_officer_sees_the_fact_never_the_content(client):
    agent = AgentFactory(l5212_13=True, user__last_name="Moreau")
    officer = RoleFactory(role=Role.DISABILITY_OFFICER, organisation=agent.organisation).user
    ReviewRequestFactory(
        agent=agent,
        approved=True,
        needs="Douleurs chroniques",
        decided_at=datetime.datetime.now(datetime.UTC),
    )
    ReviewRequestFactory(
        agent=AgentFactory(
            organisation=agent.organisation, service=agent.service, user__last_name="Autre"
        ),
        approved=True,
    )
    client.force_login(officer)

    response = client.get(reverse("portals:disability_officer"))

    assert "Moreau" in response.text
    assert "Douleurs" not in response.text
    assert "Autre" not in response.text  # not covered by L5212-13


def test_the_manager_proposes_a_review_to_a_team_member(client):
    agent = AgentFactory(manager=RoleFactory(role=Role.MANAGER).user)
    client.force_login(agent.manager)

    client.post(
        reverse("requests:propose", args=[agent.pk]), {"message": "Un bilan vous aiderait."}
    )

    proposal = agent.review_requests.get()
    assert proposal.status == Status.PROPOSED
    assert proposal.proposed_by == agent.manager


def test_a_manager_cannot_propose_to_someone_outside_the_team(client):
    manager = RoleFactory(role=Role.MANAGER).user
    stranger = AgentFactory()
    client.force_login(manager)

    response = client.post(reverse("requests:propose", args=[stranger.pk]), {"message": "…"})

    assert response.status_code == 404
    assert not stranger.review_requests.exists()


def test_the_tabs_count_the_requests_to_decide_and_those_decided(client):
    manager = RoleFactory(role=Role.MANAGER).user
    team_requests(manager, 2)
    team_requests(manager, 1, approved=True)
    team_requests(manager, 1, overdue=True)  # implicitly rejected: decided by the calendar
    client.force_login(manager)

    response = client.get(reverse("requests:to_decide"), {"onglet": "decidees"})

    assert response.context["tabs"] == [
        ("a-decider", "À décider", 2),
        ("decidees", "Décidées", 2),
        ("toutes", "Toutes", 4),
    ]
    assert {r.current_state for r in response.context["page_obj"]} == {
        Status.APPROVED,
        Status.IMPLICITLY_REJECTED,
    }
    assert 'aria-current="page">Décidées&nbsp;(2)' in response.text


def test_an_unknown_tab_shows_the_requests_to_decide(client):
    manager = RoleFactory(role=Role.MANAGER).user
    team_requests(manager, 1)
    client.force_login(manager)

    response = client.get(reverse("requests:to_decide"), {"onglet": "n’importe quoi"})

    assert response.context["current_tab"] == "a-decider"


def test_the_search_narrows_every_tab_and_its_count(client):
    manager = RoleFactory(role=Role.MANAGER).user
    ReviewRequestFactory(agent=AgentFactory(manager=manager, user__last_name="Kastler"))
    team_requests(manager, 3)
    client.force_login(manager)

    response = client.get(reverse("requests:to_decide"), {"q": "kastl"})

    assert [r.agent.user.last_name for r in response.context["page_obj"]] == ["Kastler"]
    assert response.context["tabs"][0][2] == 1
    assert "onglet=decidees&amp;q=kastl" in response.text  # the tabs keep the search


@pytest.mark.parametrize("query", ["x" * 101, "nul\x00"])
def test_a_search_it_cannot_run_says_why_and_shows_everything(client, query):
    manager = RoleFactory(role=Role.MANAGER).user
    team_requests(manager, 2)
    client.force_login(manager)

    response = client.get(reverse("requests:to_decide"), {"q": query})

    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 2
    assert "fr-error-text" in response.text


@pytest.mark.parametrize("tab", ["a-decider", "decidees", "toutes"])
@pytest.mark.parametrize("count", [2, 40])
def test_each_tab_to_decide_runs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, tab, count
):
    manager = RoleFactory(role=Role.MANAGER).user
    team_requests(manager, count // 2)
    team_requests(manager, count // 2, approved=True)
    client.force_login(manager)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("requests:to_decide"), {"onglet": tab, "page": 2})

    assert response.status_code == 200

"""HR's space in tabs: postponements, requests waiting for a place, requests by state,
agents; one search for them all; bounded queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bpp.people.models import Role
from bpp.requests.models import Status
from tests.people.factories import AgentFactory, OrganisationFactory, RoleFactory
from tests.requests.factories import ReviewRequestFactory

pytestmark = pytest.mark.django_db


def hr_with_requests(states: list[dict], **agent):
    organisation = OrganisationFactory()
    hr = RoleFactory(role=Role.HR, organisation=organisation).user
    for state in states:
        ReviewRequestFactory(
            agent=AgentFactory(
                service__organisation=organisation, organisation=organisation, **agent
            ),
            **state,
        )
    return hr


def test_the_tabs_count_each_list_and_the_first_shows_the_postponements(client):
    hr = hr_with_requests([{}, {"approved": True}, {"postponement_requested": True}])
    client.force_login(hr)

    response = client.get(reverse("portals:hr"))

    assert response.context["tabs"] == [
        ("reports", "Reports à approuver", 1),
        ("en-attente", "En attente d’une place", 1),
        ("demandes", "Demandes", 3),
        ("agents", "Agents", None),  # not counted
    ]
    [postponement] = response.context["page_obj"]
    assert reverse("requests:postponement", args=[postponement.pk]) in response.text


def test_the_requests_tab_filters_by_state_with_a_count_per_state(client):
    hr = hr_with_requests([{}, {"approved": True}, {"approved": True}, {"overdue": True}])
    client.force_login(hr)

    response = client.get(reverse("portals:hr"), {"onglet": "demandes", "statut": "acceptee"})

    assert {r.current_state for r in response.context["page_obj"]} == {Status.APPROVED}
    assert len(response.context["page_obj"]) == 2
    states = {value: count for value, _, count in response.context["states"]}
    assert states[Status.IMPLICITLY_REJECTED] == states[Status.PENDING] == 1
    assert states[Status.POSTPONED] == 0


def test_an_unknown_state_shows_every_request(client):
    hr = hr_with_requests([{}, {"approved": True}])
    client.force_login(hr)

    response = client.get(reverse("portals:hr"), {"onglet": "demandes", "statut": "<b>"})

    assert len(response.context["page_obj"]) == 2


def test_the_search_narrows_every_tab(client):
    hr = hr_with_requests([{"approved": True}], user__last_name="Lemaire")
    organisation = hr.role_assignments.get().organisation
    ReviewRequestFactory(
        agent=AgentFactory(service__organisation=organisation, organisation=organisation),
        approved=True,
    )
    client.force_login(hr)

    response = client.get(reverse("portals:hr"), {"onglet": "en-attente", "q": "lemaire"})

    assert [count for *_, count in response.context["tabs"]] == [0, 1, 1, None]
    assert [r.agent.user.last_name for r in response.context["page_obj"]] == ["Lemaire"]


@pytest.mark.parametrize("tab", ["reports", "en-attente", "demandes", "agents"])
@pytest.mark.parametrize("rows", [3, 60])
def test_each_tab_runs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, tab, rows
):
    states = [{}, {"approved": True}, {"postponement_requested": True}]
    hr = hr_with_requests([states[index % 3] for index in range(rows)])
    client.force_login(hr)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("portals:hr"), {"onglet": tab})

    assert len(response.context["page_obj"]) > 0


def test_the_agents_tab_pages_forward_and_back_without_counting_the_agents(client):
    hr = hr_with_requests([{} for _ in range(30)])
    client.force_login(hr)

    with CaptureQueriesContext(connection) as queries:
        first = client.get(reverse("portals:hr"), {"onglet": "agents"})
    second = client.get(reverse("portals:hr"), {"onglet": "agents", "page": "2"})

    assert not [
        q
        for q in queries.captured_queries
        if "COUNT(" in q["sql"] and "agentprofile" in q["sql"].split("FROM")[1]
    ]
    assert len(first.context["page_obj"]) == 25 and first.context["page_obj"].has_next
    assert "Page suivante" in first.text and "onglet=agents&amp;page=2" in first.text
    assert len(second.context["page_obj"]) == 5 and not second.context["page_obj"].has_next
    assert "onglet=agents&amp;page=1" in second.text


def test_a_search_lists_its_matches_in_alphabetical_order_whatever_the_case(client):
    organisation = OrganisationFactory()
    hr = RoleFactory(role=Role.HR, organisation=organisation).user
    for last_name in ("Durichard", "de Richemont", "Martin"):
        AgentFactory(
            organisation=organisation,
            service__organisation=organisation,
            user__last_name=last_name,
            user__first_name="Claude",
        )
    client.force_login(hr)

    response = client.get(reverse("portals:hr"), {"onglet": "agents", "q": "rich"})

    listed = [agent.user.last_name for agent in response.context["page_obj"]]
    assert listed == ["de Richemont", "Durichard"]


def test_a_page_of_agents_that_is_no_number_is_the_first(client):
    hr = hr_with_requests([{}])
    client.force_login(hr)

    response = client.get(reverse("portals:hr"), {"onglet": "agents", "page": "x"})

    assert response.context["page_obj"].number == 1
    assert len(response.context["page_obj"]) == 1

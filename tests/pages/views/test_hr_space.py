"""HR's space in tabs: postponements, requests waiting for a place, requests by state,
agents; one search for them all; bounded queries whatever the number of rows."""

import html

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bpp.people.models import AgentProfile, Role
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
    hr = hr_with_requests([{"approved": True}], user__last_name="Kastler")
    organisation = hr.role_assignments.get().organisation
    ReviewRequestFactory(
        agent=AgentFactory(service__organisation=organisation, organisation=organisation),
        approved=True,
    )
    client.force_login(hr)

    response = client.get(reverse("portals:hr"), {"onglet": "en-attente", "q": "kastler"})

    assert [count for *_, count in response.context["tabs"]] == [0, 1, 1, None]
    assert [r.agent.user.last_name for r in response.context["page_obj"]] == ["Kastler"]


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


def hr_with_agents(names: list[tuple[str, str]]):
    """An HR user and the agents of their employer, by (first name, last name)."""
    organisation = OrganisationFactory()
    hr = RoleFactory(role=Role.HR, organisation=organisation).user
    for first_name, last_name in names:
        AgentFactory(
            organisation=organisation,
            service__organisation=organisation,
            user__first_name=first_name,
            user__last_name=last_name,
        )
    return hr


def listed(response) -> list[str]:
    return [agent.user.get_full_name() for agent in response.context["page_obj"]]


def follow(client, address: str):
    """Follow a link of the pager (an address relative to the page: "?onglet=…")."""
    return client.get(reverse("portals:hr") + html.unescape(address))


def test_the_agents_tab_pages_forward_and_back_without_counting_the_agents(client):
    hr = hr_with_requests([{} for _ in range(30)])
    client.force_login(hr)

    with CaptureQueriesContext(connection) as queries:
        first = client.get(reverse("portals:hr"), {"onglet": "agents"})
    second = follow(client, first.context["page_obj"].next_url)
    back = follow(client, second.context["page_obj"].previous_url)

    assert not [
        q
        for q in queries.captured_queries
        if "COUNT(" in q["sql"] and "agentprofile" in q["sql"].split("FROM")[1]
    ]
    assert len(first.context["page_obj"]) == 25
    assert first.context["page_obj"].previous_url is None
    assert (
        "Page suivante" in first.text
        and 'aria-disabled="true" role="link">Page précédente' in first.text
    )
    assert len(second.context["page_obj"]) == 5 and second.context["page_obj"].next_url is None
    assert listed(back) == listed(first) and back.context["page_obj"].previous_url is None
    assert listed(first) + listed(second) == sorted(
        listed(first) + listed(second),
        key=lambda name: name.split(" ", 1)[::-1],  # by last name, then first name
    )


def test_namesakes_split_between_two_pages_are_each_listed_once(client):
    # 27 agents sorted by the same last and first names: the user's id settles the order.
    hr = hr_with_agents([("Claude", "Martin")] * 27 + [("Alix", "Martin"), ("Lou", "Petit")])
    client.force_login(hr)

    first = client.get(reverse("portals:hr"), {"onglet": "agents"})
    second = follow(client, first.context["page_obj"].next_url)
    back = follow(client, second.context["page_obj"].previous_url)

    ids = [agent.user_id for page in (first, second) for agent in page.context["page_obj"]]
    assert len(ids) == len(set(ids)) == 29
    assert listed(first)[:2] == ["Alix Martin", "Claude Martin"]
    assert listed(second) == ["Claude Martin"] * 3 + ["Lou Petit"]
    assert [a.user_id for a in back.context["page_obj"]] == ids[:25]


def test_a_bookmark_on_the_first_agent_of_a_page_leads_back_to_a_full_page(client):
    hr = hr_with_agents([("Claude", f"Nom{index:02}") for index in range(60)])
    client.force_login(hr)

    second = follow(
        client, client.get(reverse("portals:hr"), {"onglet": "agents"}).context["page_obj"].next_url
    )
    third = follow(client, second.context["page_obj"].next_url)
    back = follow(client, third.context["page_obj"].previous_url)

    assert listed(third)[0] == "Claude Nom50" and len(third.context["page_obj"]) == 10
    assert listed(back) == listed(second) == [f"Claude Nom{index:02}" for index in range(25, 50)]
    assert back.context["page_obj"].first_url == "?onglet=agents"


def test_a_page_far_in_the_list_runs_the_queries_of_the_first(client):
    hr = hr_with_agents([("Claude", f"Nom{index:02}") for index in range(60)])
    client.force_login(hr)
    first = client.get(reverse("portals:hr"), {"onglet": "agents"})
    second = follow(client, first.context["page_obj"].next_url)

    with CaptureQueriesContext(connection) as on_the_first:
        client.get(reverse("portals:hr"), {"onglet": "agents"})
    with CaptureQueriesContext(connection) as on_the_third:
        third = follow(client, second.context["page_obj"].next_url)

    assert len(on_the_third) == len(on_the_first)
    assert not [q for q in on_the_third.captured_queries if "OFFSET" in q["sql"]]
    assert listed(third)[0] == "Claude Nom50"


def test_a_bookmark_past_the_end_of_a_list_that_shrank_says_so(client):
    hr = hr_with_agents([("Claude", f"Nom{index:02}") for index in range(26)])
    client.force_login(hr)
    next_url = client.get(reverse("portals:hr"), {"onglet": "agents"}).context["page_obj"].next_url
    AgentProfile.objects.get(user__last_name="Nom25").delete()

    response = follow(client, next_url)

    assert "Plus aucun agent à cet endroit de la liste : elle a changé depuis." in response.text
    assert 'href="?onglet=agents">Première page' in response.text


@pytest.mark.parametrize(
    "bookmark",
    [
        {"page": "x"},
        {"page": "200"},  # page numbers are gone
        {"apres": "x"},
        {"avant": "<b>"},
        {"apres": signing.dumps(["Martin", "Claude", "x"])},  # not signed by the list
        {"apres": signing.dumps([1], salt="bpp.tabs.seek:user__last_name")},
    ],
)
def test_a_bookmark_that_is_not_the_lists_shows_the_first_page(client, bookmark):
    hr = hr_with_agents([("Claude", "Martin")])
    client.force_login(hr)

    response = client.get(reverse("portals:hr"), {"onglet": "agents", **bookmark})

    assert response.status_code == 200
    assert listed(response) == ["Claude Martin"]
    assert not response.context["page_obj"].has_other_pages


def test_a_search_pages_through_its_matches_in_alphabetical_order_whatever_the_case(client):
    hr = hr_with_agents(
        [("Claude", "Durichard")] * 20 + [("Claude", "de Richemont")] * 20 + [("Lou", "Petit")]
    )
    client.force_login(hr)

    first = client.get(reverse("portals:hr"), {"onglet": "agents", "q": "RICH"})
    second = follow(client, first.context["page_obj"].next_url)

    assert listed(first) == ["Claude de Richemont"] * 20 + ["Claude Durichard"] * 5
    assert listed(second) == ["Claude Durichard"] * 15
    assert "q=RICH" in first.context["page_obj"].next_url


def test_a_search_that_matches_too_many_agents_is_refused_and_says_how_to_narrow_it(
    client, monkeypatch
):
    monkeypatch.setattr("bpp.pages.views.SEARCH_LIMIT", 2)
    hr = hr_with_agents([("Claude", "Richard"), ("Lou", "Richard"), ("Alix", "Richardot")])
    client.force_login(hr)

    response = client.get(reverse("portals:hr"), {"onglet": "agents", "q": "richard"})

    assert "Plus de 2 agents correspondent à « richard » : précisez votre recherche" in (
        html.unescape(response.text)
    )
    assert 'aria-describedby="recherche-agent-erreur"' in response.text
    assert len(response.context["page_obj"]) == 3  # the search searched nothing


def test_the_pages_after_a_refused_search_leave_it_out(client, monkeypatch):
    monkeypatch.setattr("bpp.pages.views.SEARCH_LIMIT", 2)
    hr = hr_with_agents([("Claude", f"Richard{index:02}") for index in range(30)])
    client.force_login(hr)

    response = client.get(reverse("portals:hr"), {"onglet": "agents", "q": "richard"})

    assert response.context["page_obj"].next_url.startswith("?onglet=agents&apres=")


def test_a_search_that_matches_as_many_agents_as_the_limit_lists_them(client, monkeypatch):
    monkeypatch.setattr("bpp.pages.views.SEARCH_LIMIT", 2)
    hr = hr_with_agents([("Claude", "Richard"), ("Lou", "Richard"), ("Alix", "Martin")])
    client.force_login(hr)

    response = client.get(reverse("portals:hr"), {"onglet": "agents", "q": "richard"})

    assert listed(response) == ["Claude Richard", "Lou Richard"]
    assert not response.context["search"].errors


def test_a_refused_search_narrows_with_the_first_name_after_the_last(client, monkeypatch):
    monkeypatch.setattr("bpp.pages.views.SEARCH_LIMIT", 2)
    hr = hr_with_agents([("Claude", "Richard"), ("Lou", "Richard"), ("Alix", "Richardot")])
    client.force_login(hr)

    response = client.get(reverse("portals:hr"), {"onglet": "agents", "q": " richard  LOU "})

    assert listed(response) == ["Lou Richard"]
    assert not response.context["search"].errors


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

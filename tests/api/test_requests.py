"""GET /api/v1/requests: the employer's requests, their state as of today, their decision."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bpp.requests import deadlines
from bpp.requests.models import RequestTransition, Status
from tests.api.conftest import issue
from tests.clock import paris
from tests.people.factories import AgentFactory, OrganisationFactory, ServiceFactory
from tests.requests.factories import ReviewRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer():
    organisation = OrganisationFactory()
    return organisation, ServiceFactory(organisation=organisation)


def request_of(employer, **kwargs):
    organisation, service = employer
    agent_kwargs = {k.removeprefix("agent__"): v for k, v in kwargs.items() if "agent__" in k}
    kwargs = {k: v for k, v in kwargs.items() if "agent__" not in k}
    agent = AgentFactory(organisation=organisation, service=service, **agent_kwargs)
    return ReviewRequestFactory(agent=agent, **kwargs)


def read(client, employer, **params) -> dict:
    _, headers = issue(employer[0])
    response = client.get(reverse("api:requests"), params, headers=headers)
    assert response.status_code == 200, response.content
    return response.json()


def test_it_gives_the_state_as_of_today_and_the_deadline(client, employer):
    overdue = request_of(employer, overdue=True)  # its rejection is not recorded yet

    (row,) = read(client, employer)["items"]

    assert row["id"] == overdue.pk
    assert overdue.status == Status.PENDING
    assert row["state"] == Status.IMPLICITLY_REJECTED
    assert row["state_label"] == "Rejetée implicitement"
    assert row["decision"] == Status.IMPLICITLY_REJECTED
    assert row["decision_deadline"] == overdue.decision_deadline.isoformat()
    assert row["received_on"] == overdue.received_on.isoformat()


def test_it_gives_the_decision_and_whether_the_agent_is_a_priority_public(client, employer):
    approved = request_of(employer, approved=True, agent__l5212_13=True)

    (row,) = read(client, employer)["items"]

    assert row["decision"] == Status.APPROVED
    assert row["decided_at"] is not None
    assert row["is_priority"] is True
    assert row["agent_email"] == approved.agent.user.email
    assert row["agent_id"] == approved.agent.pk


def test_a_pending_request_has_no_decision(client, employer):
    request_of(employer)

    (row,) = read(client, employer)["items"]

    assert row["state"] == Status.PENDING and row["decision"] is None


def test_the_state_filter_reads_the_state_as_of_today(client, employer):
    overdue = request_of(employer, overdue=True)
    pending = request_of(employer)

    ids = {s: [r["id"] for r in read(client, employer, state=s)["items"]] for s in Status}

    assert ids[Status.IMPLICITLY_REJECTED] == [overdue.pk]
    assert ids[Status.PENDING] == [pending.pk]
    assert ids[Status.APPROVED] == []


def test_the_year_filter_reads_the_receipt_date(client, employer):
    request_of(employer, received_on=datetime.date(2025, 12, 31))
    of_2026 = request_of(employer, received_on=datetime.date(2026, 1, 1), status=Status.WITHDRAWN)

    assert [r["id"] for r in read(client, employer, year=2026)["items"]] == [of_2026.pk]


def test_updated_since_gives_the_requests_whose_status_changed_since(client, employer):
    old = request_of(employer, created_at=paris(2026, 1, 5))
    changed = request_of(employer, created_at=paris(2026, 1, 5))
    RequestTransition.objects.create(
        request=changed, from_status=Status.PENDING, to_status=Status.APPROVED, at=paris(2026, 3, 2)
    )

    rows = read(client, employer, updated_since="2026-03-01T00:00:00+01:00")["items"]

    assert [r["id"] for r in rows] == [changed.pk]
    assert rows[0]["updated_at"] == "2026-03-02T09:00:00Z"
    assert old.pk not in [r["id"] for r in rows]


def test_an_instant_with_any_offset_python_reads_is_read_in_utc(client, employer):
    changed = request_of(employer, status=Status.WITHDRAWN)
    RequestTransition.objects.filter(request=changed).update(at=paris(2026, 3, 2, 10))

    rows = read(client, employer, updated_since="2026-03-02T09:00:00+23:25")["items"]

    assert [r["id"] for r in rows] == [changed.pk]


def test_the_cursor_walks_every_request_once(client, employer):
    made = sorted(request_of(employer, status=Status.WITHDRAWN).pk for _ in range(7))
    _, headers = issue(employer[0])

    seen, cursor = [], None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = client.get(reverse("api:requests"), params, headers=headers).json()
        seen += [row["id"] for row in page["items"]]
        if not (cursor := page["next_cursor"]):
            break

    assert seen == made


@pytest.mark.parametrize("cursor", ["pas-un-curseur", "eyJhZnRlciI6IC0xfQ", "W10", "e30"])
def test_a_cursor_not_given_by_the_api_is_a_400_in_french(client, employer, cursor):
    _, headers = issue(employer[0])

    response = client.get(reverse("api:requests"), {"cursor": cursor}, headers=headers)

    assert response.status_code == 400
    assert response.json()["detail"].startswith("Curseur invalide")


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 101},
        {"year": "deux"},
        {"state": "x"},
        {"updated_since": "0001-01-01T00:00:00+23:59"},
    ],
)
def test_a_malformed_parameter_is_a_400_in_french(client, employer, params):
    _, headers = issue(employer[0])

    response = client.get(reverse("api:requests"), params, headers=headers)

    assert response.status_code == 400
    assert response.json()["detail"].startswith("Paramètre invalide : ")


def test_the_queries_do_not_grow_with_the_page(client, employer):
    for _ in range(12):
        ReviewRequestFactory(
            agent=AgentFactory(organisation=employer[0], service=employer[1]),
            approved=True,
            decided_at=timezone.now(),
            received_on=deadlines.legal_today(),
        )
    _, headers = issue(employer[0])
    client.get(reverse("api:requests"), headers=headers)  # notes the token's use, once

    counts = []
    for limit in (2, 12):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("api:requests"), {"limit": limit}, headers=headers).json()
        assert len(page["items"]) == limit
        counts.append(len(queries))

    assert counts[0] == counts[1] == 2  # the token, the page

"""HR's requests list as an XLSX workbook, read back."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bpp.requests.spreadsheets import REQUEST_COLUMNS, REQUEST_COLUMNS_VERSION
from tests.people.factories import AgentFactory
from tests.requests.factories import ReviewRequestFactory

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[list]:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_the_columns_are_pinned():
    # New columns go at the end, with a new version; none is moved, renamed or removed.
    assert REQUEST_COLUMNS_VERSION == 1
    assert REQUEST_COLUMNS == [
        "Employeur",
        "Agent",
        "Service",
        "Catégorie",
        "Initiative",
        "État",
        "Reçue le",
        "Date limite de réponse",
        "Décidée le",
        "Public prioritaire",
        "De droit (restructuration)",
    ]


def test_hr_takes_its_employers_requests_and_no_others(world):
    priority = ReviewRequestFactory(
        agent=AgentFactory(organisation=world.organisation, service=world.service, l5212_13=True)
    )

    rows = rows_of(world.client("hr").get(reverse("portals:hr_requests_xlsx")))

    assert rows[0] == REQUEST_COLUMNS
    agents = {row[1] for row in rows[1:]}
    assert priority.agent.user.get_full_name() in agents
    assert world.proposal.agent.user.get_full_name() not in agents  # another employer's
    row = next(r for r in rows[1:] if r[1] == priority.agent.user.get_full_name())
    assert row[0] == world.organisation.name
    assert row[9] == "oui"
    assert "L5212" not in str(rows)


def test_a_state_filter_keeps_that_state(world):
    rows = rows_of(
        world.client("hr").get(reverse("portals:hr_requests_xlsx"), {"statut": "acceptee"})
    )
    assert rows[0] == REQUEST_COLUMNS
    assert {row[5] for row in rows[1:]} == {"Acceptée"}  # the world's enrolled agent's
    assert world.request.agent.user.get_full_name() not in {row[1] for row in rows}


def test_only_hr_takes_it(world):
    assert world.client("manager").get(reverse("portals:hr_requests_xlsx")).status_code == 403

import csv
import datetime
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bpp.pages import indicators as figures
from bpp.pages.models import DailyFigures
from tests.people.factories import AgentFactory
from tests.requests.factories import ReviewRequestFactory

pytestmark = pytest.mark.django_db


def test_hr_sees_the_indicators_of_the_current_year_at_once(client, world):
    client.force_login(world.users["hr"])

    response = client.get(reverse("portals:indicators"))

    assert response.status_code == 200
    assert response.context["indicators"].organisation == world.organisation
    assert "Demandes reçues" in response.text and "<svg" in response.text


def test_an_inverted_period_is_explained_and_computes_nothing(client, world):
    client.force_login(world.users["hr_admin"])

    response = client.get(
        reverse("portals:indicators"), {"start": "2026-12-31", "end": "2026-01-01"}
    )

    assert "La période commence après sa fin" in response.text
    assert response.context["indicators"] is None


def test_another_employer_cannot_be_asked_for(client, world):
    client.force_login(world.users["hr"])

    response = client.get(
        reverse("portals:indicators_csv"), {"organisation": world.other_organisation.pk}
    )

    assert response.status_code == 400


def test_the_csv_holds_the_same_figures_with_small_counts_withheld(client, world):
    for _ in range(6):
        ReviewRequestFactory(
            agent=AgentFactory(organisation=world.organisation, service=world.service),
            received_on=datetime.date(2026, 2, 3),
        )
    client.force_login(world.users["hr"])

    response = client.get(
        reverse("portals:indicators_csv"), {"start": "2026-02-01", "end": "2026-02-28"}
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    figures = {row[3]: row[4] for row in rows[1:]}
    assert rows[0] == ["Employeur", "Du", "Au", "Indicateur", "Valeur"]
    assert figures["Demandes reçues"] == "6"
    assert figures["Demandes acceptées"] == "0"
    assert figures["Note globale moyenne (sur 10)"] == "—"


def test_the_page_runs_the_same_queries_whatever_the_data(client, world):
    client.force_login(world.users["hr"])
    url = reverse("portals:indicators")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(30):
        ReviewRequestFactory(
            agent=AgentFactory(organisation=world.organisation, service=world.service)
        )
    # Computed again, neither cached nor kept for the day.
    cache.clear()
    DailyFigures.objects.all().delete()
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few) <= 20


def _aggregations(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "requests_reviewrequest" in q["sql"]]


def test_the_csv_reads_the_figures_the_page_computed(client, world):
    client.force_login(world.users["hr"])
    period = {"start": "2026-01-01", "end": "2026-06-30"}
    client.get(reverse("portals:indicators"), period)

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("portals:indicators"), period)
        response = client.get(reverse("portals:indicators_csv"), period)

    assert response.status_code == 200
    assert _aggregations(queries) == []


def test_another_day_period_or_employer_is_computed_again(world):
    start, end = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)
    today = datetime.date(2026, 7, 1)
    figures.cached(world.organisation, start, end, today=today)

    def computes(organisation, start, end, today) -> bool:
        with CaptureQueriesContext(connection) as queries:
            figures.cached(organisation, start, end, today=today)
        return bool(_aggregations(queries))

    assert not computes(world.organisation, start, end, today)
    assert computes(world.organisation, start, end, today + datetime.timedelta(days=1))
    assert computes(world.organisation, start, end - datetime.timedelta(days=1), today)
    assert computes(world.other_organisation, start, end, today)

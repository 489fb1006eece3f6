"""GET /api/v1/indicators: the figures of the indicators page for a year."""

import datetime

import pytest
from django.urls import reverse

from bpp.requests.models import RequestTransition, Status
from tests.api.conftest import issue
from tests.clock import paris
from tests.people.factories import AgentFactory, ServiceFactory
from tests.requests.factories import ReviewRequestFactory

pytestmark = pytest.mark.django_db


def test_it_gives_the_figures_of_a_year_and_withholds_small_counts(client, world):
    service = ServiceFactory(organisation=world.organisation)
    for day in range(1, 8):
        ReviewRequestFactory(
            agent=AgentFactory(organisation=world.organisation, service=service),
            received_on=datetime.date(2025, 3, day),
            status=Status.WITHDRAWN,
        )
    refused = ReviewRequestFactory(
        agent=AgentFactory(organisation=world.organisation, service=service),
        received_on=datetime.date(2025, 4, 1),
        status=Status.REFUSED,
        refusal_reason="Nécessités du service.",
    )
    RequestTransition.objects.create(
        request=refused, from_status=Status.PENDING, to_status=Status.REFUSED, at=paris(2025, 4, 2)
    )
    _, headers = issue(world.organisation, "indicators:read")

    response = client.get(reverse("api:indicators"), {"year": 2025}, headers=headers)

    assert response.status_code == 200
    body = response.json()
    assert (body["start"], body["end"]) == ("2025-01-01", "2025-12-31")
    figures = {f["key"]: f for f in body["figures"]}
    assert figures["requests_received"] == {
        "key": "requests_received",
        "label": "Demandes reçues",
        "value": 8,
        "text": "8",
    }
    assert figures["satisfaction_mean"]["label"] == "Note globale moyenne (sur 10)"
    assert figures["requests_origin_initiative"]["label"] == (
        "Origine des demandes : Initiative personnelle"
    )
    assert not [f for f in figures.values() if "Orientation" in f["label"]]  # of syntheses
    # One refusal: fewer than 5 people, withheld as on the page.
    assert figures["requests_refused"]["value"] is None
    assert figures["requests_refused"]["text"] == "moins de 5"


def test_the_year_is_required_and_bounded(client, world):
    _, headers = issue(world.organisation, "indicators:read")

    for params in ({}, {"year": 1999}, {"year": 2101}):
        response = client.get(reverse("api:indicators"), params, headers=headers)
        assert response.status_code == 400
        assert response.json()["detail"] == "Paramètre invalide : year."

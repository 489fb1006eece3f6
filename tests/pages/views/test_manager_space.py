"""The manager's space: the team's requests and the syntheses shared with them."""

import datetime

import pytest
from django.urls import reverse

from bpp.requests import deadlines
from synthesis.models import grant, revoke
from tests.people.factories import AgentFactory
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

"""Where a request comes from (issue 16): the agent says it, a proposal and a
restructuring are known without asking."""

import pytest
import time_machine
from django.urls import reverse

from bpp.requests.models import Origin, ReviewRequest
from tests.clock import paris
from tests.people.factories import AgentFactory, UserFactory
from tests.requests.factories import RestructuringFactory, ReviewRequestFactory

pytestmark = pytest.mark.django_db

ANSWERS = {
    "needs": "Faire le point après dix ans sur le même poste.",
    "has_defined_project": "non",
    "preferred_mode": "distance",
}


@pytest.fixture
def agent(client):
    agent = AgentFactory(manager=UserFactory())
    client.force_login(agent.user)
    return agent


def test_the_agent_says_the_request_follows_their_annual_interview(client, agent):
    form = client.get(reverse("requests:new")).text
    client.post(reverse("requests:new"), {**ANSWERS, "origin": "entretien_annuel"})

    review_request = ReviewRequest.objects.get(agent=agent)
    assert "Qu’est-ce qui vous amène à demander ce bilan ?" in form
    assert "Proposition de l’employeur" not in form  # not the agent's to say
    assert review_request.origin == Origin.ANNUAL_INTERVIEW
    detail = client.get(reverse("requests:detail", args=[review_request.pk])).text
    assert "Entretien professionnel annuel" in detail


def test_unanswered_it_is_the_agents_own_initiative(client, agent):
    client.post(reverse("requests:new"), ANSWERS)

    assert ReviewRequest.objects.get(agent=agent).origin == Origin.OWN_INITIATIVE


@pytest.mark.parametrize("claimed", ["proposition", "restructuration", "piston"])
def test_an_agent_cannot_claim_a_proposal_a_restructuring_or_anything_else(client, agent, claimed):
    response = client.post(reverse("requests:new"), {**ANSWERS, "origin": claimed})

    assert response.status_code == 200
    assert "Choisissez ce qui vous amène à ce bilan dans la liste." in response.text
    assert not ReviewRequest.objects.filter(agent=agent).exists()


def test_a_proposal_accepted_stays_a_proposal_whatever_the_agent_sends(client, agent):
    proposal = ReviewRequestFactory(agent=agent, proposed=True)
    url = reverse("requests:answer_proposal", args=[proposal.pk])

    assert "Qu’est-ce qui vous amène" not in client.get(url).text
    client.post(url, {**ANSWERS, "action": "accepter", "origin": "entretien_annuel"})

    proposal.refresh_from_db()
    assert proposal.received_on is not None
    assert proposal.origin == Origin.EMPLOYER_PROPOSAL


@time_machine.travel(paris(2026, 9, 1, 9), tick=False)
def test_a_request_within_a_restructuring_comes_from_it(client, agent):
    # From 1 September 2026 to 30 June 2027.
    RestructuringFactory(organisation=agent.organisation, services=[agent.service])

    client.post(reverse("requests:new"), {**ANSWERS, "origin": "entretien_mobilite"})

    assert ReviewRequest.objects.get(agent=agent).origin == Origin.RESTRUCTURING

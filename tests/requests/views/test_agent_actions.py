"""What the agent does with their own request: follow it, withdraw it, answer a proposal."""

import pytest
from django.urls import reverse

from bpp.requests.models import ReviewRequest, Status
from tests.people.factories import AgentFactory, UserFactory
from tests.requests.factories import ReviewRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(client):
    agent = AgentFactory(manager=UserFactory())
    client.force_login(agent.user)
    return agent


def test_the_detail_shows_history_with_who_and_when(client, agent):
    review_request = ReviewRequest.submit(agent=agent, needs="Changer de voie.")
    review_request.refuse(by=agent.manager, reason="Pas cette année.")

    response = client.get(reverse("requests:detail", args=[review_request.pk]))

    assert "Historique" in response.text
    assert f"par {agent.manager}" in response.text
    assert "Motif : Pas cette année." in response.text
    assert "Faire une nouvelle demande" in response.text


def test_an_overdue_request_reads_as_implicitly_rejected_on_its_page(client, agent):
    review_request = ReviewRequestFactory(agent=agent, overdue=True)

    response = client.get(reverse("requests:detail", args=[review_request.pk]))

    assert "Demande rejetée implicitement" in response.text
    assert "le silence gardé" not in response.text  # no running-deadline notice any more
    assert "délai de réponse expiré" in response.text
    assert "Faire une nouvelle demande" in response.text


def test_the_agent_may_withdraw_a_running_request_from_its_page(client, agent):
    review_request = ReviewRequestFactory(agent=agent)

    response = client.get(reverse("requests:detail", args=[review_request.pk]))

    assert "Retirer ma demande" in response.text


def test_a_closed_request_offers_no_withdrawal(client, agent):
    review_request = ReviewRequestFactory(agent=agent, overdue=True)

    response = client.get(reverse("requests:detail", args=[review_request.pk]))

    assert "Retirer ma demande" not in response.text


def test_withdrawal_asks_for_confirmation_first(client, agent):
    review_request = ReviewRequestFactory(agent=agent)

    response = client.get(reverse("requests:withdraw", args=[review_request.pk]))

    assert "Ce retrait est définitif" in response.text
    review_request.refresh_from_db()
    assert review_request.status == Status.PENDING


def test_the_agent_withdraws_their_request(client, agent):
    review_request = ReviewRequestFactory(agent=agent)

    client.post(reverse("requests:withdraw", args=[review_request.pk]), {"reason": ""})

    review_request.refresh_from_db()
    assert review_request.status == Status.WITHDRAWN


def test_another_agent_cannot_withdraw_it(client, agent):
    someone_else = ReviewRequestFactory()

    response = client.post(reverse("requests:withdraw", args=[someone_else.pk]))

    assert response.status_code == 404
    someone_else.refresh_from_db()
    assert someone_else.status == Status.PENDING


def test_the_agent_accepts_a_proposal_by_filling_in_the_request(client, agent):
    proposal = ReviewRequestFactory(agent=agent, proposed=True)

    client.post(
        reverse("requests:answer_proposal", args=[proposal.pk]),
        {
            "action": "accepter",
            "needs": "Préparer la suite.",
            "has_defined_project": "oui",
            "preferred_mode": "presentiel",
        },
    )

    proposal.refresh_from_db()
    assert proposal.status == Status.PENDING
    assert proposal.has_defined_project
    assert proposal.decision_deadline is not None


def test_the_agent_declines_a_proposal(client, agent):
    proposal = ReviewRequestFactory(agent=agent, proposed=True)

    client.post(reverse("requests:answer_proposal", args=[proposal.pk]), {"action": "decliner"})

    proposal.refresh_from_db()
    assert proposal.status == Status.DECLINED


def test_the_agent_portal_shows_the_running_request_and_its_deadline(client, agent):
    review_request = ReviewRequestFactory(agent=agent)

    response = client.get(reverse("portals:agent"))

    assert "Suivre ma demande" in response.text
    assert f"{review_request.decision_deadline.day} " in response.text
    assert "Demander un bilan de parcours" not in response.text


def test_withdrawing_without_giving_a_reason_works(client, agent):
    review_request = ReviewRequestFactory(agent=agent)

    client.post(reverse("requests:withdraw", args=[review_request.pk]))

    review_request.refresh_from_db()
    assert review_request.status == Status.WITHDRAWN

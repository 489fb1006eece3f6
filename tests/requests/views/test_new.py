import datetime

import pytest
import time_machine
from django.urls import reverse

from bpp.requests.models import ReviewRequest, Status
from tests.clock import paris
from tests.people.factories import AgentFactory, UserFactory
from tests.requests.factories import ReviewRequestFactory

pytestmark = pytest.mark.django_db

URL = reverse("requests:new")
VALID = {
    "needs": "Faire le point après dix ans sur le même poste.",
    "has_defined_project": "non",
    "preferred_mode": "distance",
    "availability_constraints": "",
}


@pytest.fixture
def agent(client):
    agent = AgentFactory(manager=UserFactory())
    client.force_login(agent.user)
    return agent


@time_machine.travel(paris(2026, 12, 31, 9), tick=False)
def test_it_tells_the_agent_the_deadline_before_they_send(client, agent):
    client.force_login(agent.user)  # a session opened on 31 December

    response = client.get(URL)

    assert "dimanche 28 février 2027" in response.text
    assert "article L. 231-4, 5° du code des relations" in response.text


@time_machine.travel(paris(2026, 12, 31, 9), tick=False)
def test_it_submits_and_shows_the_deadline_and_history(client, agent):
    client.force_login(agent.user)

    response = client.post(URL, VALID, follow=True)

    review_request = ReviewRequest.objects.get(agent=agent)
    assert response.redirect_chain[-1][0] == reverse("requests:detail", args=[review_request.pk])
    assert review_request.decision_deadline == datetime.date(2027, 2, 28)
    assert review_request.preferred_mode == "distance"
    assert not review_request.has_defined_project
    assert "Réponse attendue au plus tard le dimanche 28 février 2027" in response.text
    assert "En attente de décision" in response.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("needs", "", "Décrivez vos besoins et vos attentes"),
        ("preferred_mode", "en_avion", "Choisissez une modalité de la liste"),
        ("has_defined_project", "", "Indiquez si vous avez déjà un projet défini"),
    ],
)
def test_bad_input_gets_a_french_message_and_saves_nothing(client, agent, field, value, message):
    response = client.post(URL, VALID | {field: value})

    assert response.status_code == 200
    assert message in response.text
    assert not ReviewRequest.objects.exists()


def test_the_disability_officer_question_is_asked_only_to_agents_covered_by_l5212_13(client):
    covered = AgentFactory(l5212_13=True)
    client.force_login(covered.user)
    assert "référent handicap" in client.get(URL).text

    other = AgentFactory()
    client.force_login(other.user)
    assert "référent handicap" not in client.get(URL).text


def test_a_tampered_disability_answer_is_ignored_for_other_agents(client, agent):
    client.post(URL, VALID | {"wants_disability_officer": "on"})

    assert not ReviewRequest.objects.get().wants_disability_officer


def test_an_agent_with_a_running_request_is_sent_to_it(client, agent):
    running = ReviewRequestFactory(agent=agent)

    response = client.post(URL, VALID)

    assert response.url == reverse("requests:detail", args=[running.pk])
    assert ReviewRequest.objects.count() == 1


def test_an_agent_whose_request_was_silently_rejected_may_ask_again(client, agent):
    old = ReviewRequestFactory(agent=agent, overdue=True)

    response = client.post(URL, VALID)

    assert response.status_code == 302
    old.refresh_from_db()
    assert old.status == Status.IMPLICITLY_REJECTED
    assert ReviewRequest.objects.filter(agent=agent, status=Status.PENDING).count() == 1

"""E-mails go through the tasks queue; the worker sends them, the mail server may fail."""

import smtplib

import pytest
from django.core import mail

from bpp.requests import services
from bpp.requests.models import Status
from tests.clock import paris
from tests.people.factories import AgentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    return AgentFactory(manager=UserFactory(), user__first_name="Camille")


def test_the_worker_sends_the_acknowledgement_in_french_text_and_html(agent, django_tasks):
    services.submit_request(agent=agent, needs="Évoluer.", now=paris(2026, 12, 31))

    django_tasks.run()

    acknowledgement = next(m for m in mail.outbox if m.to == [agent.user.email])
    assert acknowledgement.subject == "Votre demande de bilan de parcours a bien été reçue"
    assert "au plus tard le dimanche 28 février 2027" in acknowledgement.body
    assert "article L. 231-4, 5° du code des relations" in acknowledgement.body
    html, mimetype = acknowledgement.alternatives[0]
    assert mimetype == "text/html"
    assert "Bonjour Camille" in html
    assert "/demandes/" in acknowledgement.body


def test_a_failing_mail_server_never_undoes_a_decision(agent, django_tasks, monkeypatch):
    review_request = services.submit_request(agent=agent, needs="Évoluer.", now=paris(2026, 11, 2))
    django_tasks.clear()
    services.approve_request(
        review_request=review_request, by=agent.manager, now=paris(2026, 11, 9)
    )

    def broken_send(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connexion perdue")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken_send)
    django_tasks.run()

    review_request.refresh_from_db()
    assert review_request.status == Status.APPROVED
    retries = [m for m in django_tasks.emails() if m.get("attempt") == 2]
    assert [m["to"] for m in retries] == [[agent.user.email]]


def test_e_mails_escape_what_users_typed(agent, django_tasks):
    review_request = services.propose_review(
        agent=agent, by=agent.manager, message="<script>alert(1)</script>", now=paris(2026, 11, 2)
    )

    [queued] = django_tasks.emails()
    assert "<script>" not in queued["html"]
    assert review_request.proposal_message in queued["text"]

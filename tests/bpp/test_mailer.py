"""The mailer: one e-mail per recipient, queued; a failing mail server means a retry of the
same message, attachments included."""

import smtplib

import pytest
from django.core import mail

from bpp import mailer
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

ICS = ["seance.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar"]


def test_a_retry_keeps_the_attachments(django_tasks, monkeypatch):
    user = UserFactory()
    mailer.send_email.enqueue(
        to=[user.email], subject="Séance", text="Texte", html="<p>Texte</p>", attachments=[ICS]
    )

    def broken_send(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connexion perdue")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.EmailMessage.send", broken_send)
        django_tasks.run()

    [retry] = [m for m in django_tasks.emails() if m.get("attempt") == 2]
    assert retry["attachments"] == [ICS]
    django_tasks.clear()
    mailer.send_email.enqueue(**retry)
    django_tasks.run()
    [sent] = mail.outbox
    assert sent.attachments[0][0] == "seance.ics"
    assert sent.attachments[0][2] == "text/calendar"


def test_the_html_part_shows_paragraphs_not_their_tags(django_tasks):
    user = UserFactory(first_name="Inès")

    mailer.send("synthesis/to_sign", [user], agent="Émilie <Michel>", url="https://x/s/1/")

    [queued] = django_tasks.emails()
    assert ">Bonjour Inès,</p>" in queued["html"]
    assert "&lt;p&gt;" not in queued["html"]  # escaped once, never twice
    assert "Émilie &lt;Michel&gt;" in queued["html"]  # what users type stays escaped
    assert "<p>" not in queued["text"]

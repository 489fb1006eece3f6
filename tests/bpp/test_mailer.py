"""The mailer: one e-mail per recipient, queued; a failing mail server means a retry of the
same message, attachments included."""

import re
import smtplib

import pytest
from django.core import mail

from bpp import mailer
from bpp.mailer.models import Notification
from bpp.people.services import send_password_reset
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


def test_each_active_recipient_gets_one_message_kept_in_their_notifications(django_tasks):
    inès, paul = UserFactory(first_name="Inès"), UserFactory()
    gone = UserFactory(is_active=False)

    mailer.send("synthesis/to_sign", [inès, paul, inès, gone], agent="Émilie", url="https://x/1/")

    assert sorted(m["to"][0] for m in django_tasks.emails()) == sorted([inès.email, paul.email])
    [kept] = Notification.objects.filter(recipient=inès)
    assert kept.name == "synthesis/to_sign"
    assert kept.subject == "Document de synthèse d’Émilie à signer"
    assert kept.text.startswith("Bonjour Inès,") and kept.url == "https://x/1/"
    assert kept.is_unread
    assert not Notification.objects.filter(recipient=gone).exists()


def test_a_password_link_is_sent_but_never_kept(django_tasks, settings):
    settings.SITE_URL = "https://bilans.exemple.gouv.fr"
    user = UserFactory()

    send_password_reset(user=user)

    [queued] = django_tasks.emails()
    [link] = re.findall(r"https://bilans\.exemple\.gouv\.fr/mot-de-passe/\S+", queued["text"])
    kept = Notification.objects.get(recipient=user)
    assert link not in kept.text and kept.url == ""
    assert mailer.PRIVATE_LINK_KEPT_AS in kept.text


def test_only_the_message_s_own_link_is_clickable():
    text = "Bonjour,\n\nLien de la visio : https://ailleurs.example/salle\n\nLe document : https://x/1/"

    first, visio, action = mailer.paragraphs(text, "https://x/1/")

    assert str(first.html) == "Bonjour,"
    assert "<a" not in visio.html  # typed by someone: shown, not linked
    assert action.action == "Le document"


def test_the_link_inside_a_paragraph_is_made_clickable():
    [paragraph] = mailer.paragraphs(
        "Ce lien :\nhttps://x/1/?a=1&b=2\nexpire.", "https://x/1/?a=1&b=2"
    )

    assert paragraph.html == (
        'Ce lien :<br>\n<a href="https://x/1/?a=1&amp;b=2">https://x/1/?a=1&amp;b=2</a><br>\nexpire.'
    )


def test_the_text_part_ends_with_the_footer_and_the_notifications_address(django_tasks, settings):
    settings.SITE_URL = "https://bilans.exemple.gouv.fr"

    mailer.send("synthesis/signed", [UserFactory()], agent="Émilie", url="https://x/1/")

    [queued] = django_tasks.emails()
    assert (
        queued["text"]
        .rstrip()
        .endswith("« Mes notifications » : https://bilans.exemple.gouv.fr/notifications/")
    )
    assert 'href="https://bilans.exemple.gouv.fr/notifications/"' in queued["html"]

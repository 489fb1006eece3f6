"""
E-mails, queued for the tasks worker (`manage.py db_worker`).

Each app owns its messages (`<app>/emails.py`) and sends them through `send()`.
They are queued in the same transaction as the change they announce: a change and
its e-mails are saved together, and a mail server that fails never undoes a change.
Each e-mail is a pair of templates, `emails/<name>_subject.txt` and
`emails/<name>_body.txt`; the HTML version wraps the same text in `emails/base.html`.
"""

import datetime
import logging
import re
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")

# [file name, text content, MIME type] (JSON, for the queue).
Attachment = list[str]


def send(
    name: str,
    recipients: Iterable,
    *,
    attachments: list[Attachment] | None = None,
    **context,
) -> None:
    """Render the e-mail `name` for each active recipient and queue it (with `attachments`)."""
    for recipient in {user.pk: user for user in recipients if user and user.is_active}.values():
        full_context = {"recipient": recipient, "site_url": settings.SITE_URL, **context}
        subject = " ".join(
            render_to_string(f"emails/{name}_subject.txt", full_context, using="text").split()
        )
        text = render_to_string(f"emails/{name}_body.txt", full_context, using="text").strip()
        # The HTML twin shows the same paragraphs; the layout escapes them, once.
        paragraphs = [p.strip() for p in PARAGRAPH_BREAK.split(text) if p.strip()]
        html = render_to_string(
            "emails/base.html", {**full_context, "subject": subject, "paragraphs": paragraphs}
        )
        send_email.enqueue(
            to=[recipient.email], subject=subject, text=text, html=html, attachments=attachments
        )


@task
def send_email(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str,
    attachments: list[Attachment] | None = None,
    attempt: int = 1,
) -> None:
    """Send one e-mail; when the mail server fails, try again later (1, 4, 9, 16 minutes)."""
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    try:
        message.send()
    except (OSError, smtplib.SMTPException):
        if attempt >= MAX_ATTEMPTS:
            raise
        logger.warning("Mail server failed (attempt %d), retrying: %s", attempt, subject)
        # The same message again, attachments included (a convocation keeps its .ics).
        send_email.using(run_after=timezone.now() + datetime.timedelta(minutes=attempt**2)).enqueue(
            to=to,
            subject=subject,
            text=text,
            html=html,
            attachments=attachments,
            attempt=attempt + 1,
        )


def purge_finished_tasks(*, before: datetime.datetime) -> int:
    """Delete the tasks (e-mails with their whole text) that finished before `before`,
    sent or failed for good; those still to run are kept. Return how many went."""
    from django_tasks_db.models import DBTaskResult  # the backend's app, loaded by then

    deleted, _ = DBTaskResult.objects.filter(finished_at__lt=before).delete()
    return deleted

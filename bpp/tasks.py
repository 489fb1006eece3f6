"""Background work, run by the tasks worker (`manage.py db_worker`)."""

import datetime
import logging
import smtplib

from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


@task
def send_email(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str,
    attachments: list[list[str]] | None = None,
    attempt: int = 1,
) -> None:
    """Send one e-mail; when the mail server fails, try again later (1, 4, 9, 16 minutes).

    `attachments` are [file name, text content, MIME type] triples (JSON, for the queue).
    """
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
        send_email.using(run_after=timezone.now() + datetime.timedelta(minutes=attempt**2)).enqueue(
            to=to, subject=subject, text=text, html=html, attempt=attempt + 1
        )

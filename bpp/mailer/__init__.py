"""
E-mails, queued for the tasks worker (`manage.py db_worker`), and kept for their recipient.

Each app owns its messages (`<app>/emails.py`) and sends them through `send()`, or, for
the many messages of a periodic job, through `deliver()` from a worker task that renders,
sends and keeps a whole batch at once.
They are queued in the same transaction as the change they announce: a change and
its e-mails are saved together, and a mail server that fails never undoes a change.
Each e-mail is a pair of templates, `emails/<name>_subject.txt` and
`emails/<name>_body.txt`; the HTML version lays out the same text in `emails/base.html`.
Each message is also kept, as its recipient read it, in their « Mes notifications » page
(`bpp.mailer.models.Notification`).

This package knows no domain: a recipient is any user with `email` and `is_active`.
"""

import datetime
import logging
import re
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# What the kept copy of a message says instead of a link that opens an account by itself.
PRIVATE_LINK_KEPT_AS = "[lien personnel, envoyé seulement par courriel]"

# [file name, text content, MIME type] (JSON, for the queue).
Attachment = list[str]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a message laid out in HTML: its escaped text, where the message's
    own link is clickable; or, for a paragraph « Label : <the link> », a button `action`."""

    html: SafeString
    action: str = ""


def paragraphs(text: str, url: str = "") -> list[Paragraph]:
    """The paragraphs of the plain text `text`, escaped once, `url` made a link."""
    laid_out = []
    for paragraph in (p.strip() for p in PARAGRAPH_BREAK.split(text)):
        if not paragraph:
            continue
        label, separator, target = paragraph.rpartition(" : ")
        if url and separator and target == url and "\n" not in label:
            laid_out.append(Paragraph(html=escape(label), action=label))
            continue
        html = escape(paragraph).replace("\n", "<br>\n")
        if url:
            link = format_html('<a href="{}">{}</a>', url, url)
            html = html.replace(escape(url), link)
        laid_out.append(Paragraph(html=mark_safe(html)))  # escaped above, link built safely
    return laid_out


def notifications_url() -> str:
    return settings.SITE_URL + reverse("notifications:inbox")


@dataclass(frozen=True)
class Rendered:
    """One e-mail as its recipient reads it: `body` is the text kept in « Mes notifications »,
    `text` and `html` the two parts sent (the body in the layout)."""

    subject: str
    body: str
    text: str
    html: str


def render(name: str, recipient, *, url: str = "", **context) -> Rendered:
    """The e-mail `name` for `recipient`, with `url` (absolute) the page it leads to."""
    full_context = {"recipient": recipient, "site_url": settings.SITE_URL, "url": url}
    full_context |= context
    subject = " ".join(
        render_to_string(f"emails/{name}_subject.txt", full_context, using="text").split()
    )
    body = render_to_string(f"emails/{name}_body.txt", full_context, using="text").strip()
    layout = {"subject": subject, "url": url, "notifications_url": notifications_url()}
    text = render_to_string("emails/base.txt", {**layout, "body": body}, using="text")
    html = render_to_string("emails/base.html", {**layout, "paragraphs": paragraphs(body, url)})
    return Rendered(subject=subject, body=body, text=text, html=html)


def _active(recipients: Iterable) -> list:
    """Each active recipient once."""
    return list({user.pk: user for user in recipients if user and user.is_active}.values())


def send(
    name: str,
    recipients: Iterable,
    *,
    url: str = "",
    private_link: bool = False,
    attachments: list[Attachment] | None = None,
    **context,
) -> None:
    """Render the e-mail `name` for each active recipient, queue it (with `attachments`)
    and keep it in their notifications.

    `url`, absolute, is the page the message leads to. `private_link`: that link opens an
    account by itself (a password link); the kept copy leaves it out.
    """
    from bpp.mailer.models import Notification  # the package loads before the models

    now = timezone.now()
    kept = []
    for recipient in _active(recipients):
        message = render(name, recipient, url=url, **context)
        send_email.enqueue(
            to=[recipient.email],
            subject=message.subject,
            text=message.text,
            html=message.html,
            attachments=attachments,
        )
        kept.append(
            Notification(
                recipient=recipient,
                name=name,
                subject=message.subject,
                text=message.body.replace(url, PRIVATE_LINK_KEPT_AS)
                if private_link
                else message.body,
                url="" if private_link else url,
                sent_at=now,
            )
        )
    Notification.objects.bulk_create(kept)


def deliver(name: str, messages: Iterable[tuple], **context) -> int:
    """Render the e-mail `name` for each (recipient, their own context), send them now over
    one connection to the mail server, and keep them in the recipients' notifications.

    The batch form of `send`, for a worker task that sends many messages at once (one
    queued task for a thousand recipients, not one each). `context` is common to all; a
    message's own context may carry its `url`. A message already kept for its recipient
    (same name, subject and link) is not sent again: a batch run twice sends each message
    once. When the mail server fails, the messages not sent yet are queued one by one
    (`send_email`, with its retries) and those already sent are not. Returns how many
    messages were sent or queued.
    """
    from bpp.mailer.models import Notification

    now = timezone.now()
    wanted = [(r, own) for r, own in messages if r and r.is_active]
    already = set(
        Notification.objects.filter(recipient__in={r.pk for r, _ in wanted}, name=name)
        .order_by()
        .values_list("recipient_id", "subject", "url")
    )
    kept = []
    connection = mailers.default
    server_fails = False
    try:
        connection.open()
    except (OSError, smtplib.SMTPException):
        logger.warning("Mail server failed, queuing %d messages %s", len(wanted), name)
        server_fails = True
    for recipient, own in wanted:
        own = {**context, **own}
        url = own.pop("url", "")
        message = render(name, recipient, url=url, **own)
        if (recipient.pk, message.subject, url) in already:
            continue
        already.add((recipient.pk, message.subject, url))
        parts = {"to": [recipient.email], "subject": message.subject}
        parts |= {"text": message.text, "html": message.html}
        if not server_fails:
            try:
                connection.send_messages([_email(**parts)])
            except (OSError, smtplib.SMTPException):
                logger.warning("Mail server failed, queuing the rest of %s", name)
                server_fails = True
        if server_fails:
            send_email.enqueue(**parts)
        kept.append(
            Notification(
                recipient=recipient,
                name=name,
                subject=message.subject,
                text=message.body,
                url=url,
                sent_at=now,
            )
        )
    connection.close()
    Notification.objects.bulk_create(kept)
    return len(kept)


def _email(
    *, to: list[str], subject: str, text: str, html: str, attachments=None
) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return message


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
    message = _email(to=to, subject=subject, text=text, html=html, attachments=attachments)
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


def purge_notifications(*, before: datetime.datetime) -> int:
    """Delete the notifications sent before `before`, read or not: the space's copy of a
    message, whose request, cohort or synthesis keeps its own history. One statement, off
    the index on `sent_at`. Return how many went."""
    from bpp.mailer.models import Notification

    deleted, _ = Notification.objects.filter(sent_at__lt=before).delete()
    return deleted

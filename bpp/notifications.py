"""
The e-mails of the request's life, queued for the tasks worker.

They are queued in the same transaction as the change they announce: a decision
and its e-mails are saved together, and a mail server that fails never undoes a
decision. Each e-mail is a pair of templates, `emails/<name>_subject.txt` and
`emails/<name>_body.txt`; the HTML version wraps the same text in `emails/base.html`.
"""

from collections.abc import Iterable

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import linebreaks

from bpp import deadlines
from bpp.models.people import Organisation, Role, User
from bpp.tasks import send_email


def send(
    name: str,
    recipients: Iterable[User],
    *,
    attachments: list[list[str]] | None = None,
    **context,
) -> None:
    """Render the e-mail `name` for each recipient and queue it (with `attachments`)."""
    for recipient in {user.pk: user for user in recipients if user and user.is_active}.values():
        full_context = {
            "recipient": recipient,
            "site_url": settings.SITE_URL,
            "legal_basis": deadlines.LEGAL_BASIS,
            **context,
        }
        subject = " ".join(
            render_to_string(f"emails/{name}_subject.txt", full_context, using="text").split()
        )
        text = render_to_string(f"emails/{name}_body.txt", full_context, using="text").strip()
        html = render_to_string(
            "emails/base.html",
            {**full_context, "subject": subject, "body": linebreaks(text, autoescape=True)},
        )
        send_email.enqueue(
            to=[recipient.email], subject=subject, text=text, html=html, attachments=attachments
        )


def people_with_role(role: str, organisation: Organisation):
    return User.objects.filter(
        is_active=True,
        role_assignments__role=role,
        role_assignments__organisation=organisation,
    )


def _url(review_request) -> str:
    return settings.SITE_URL + reverse("requests:detail", args=[review_request.pk])


def _deciders(review_request) -> list[User]:
    """Who decides: the line manager, or the HR service when the agent has none."""
    manager = review_request.agent.manager
    if manager is not None:
        return [manager]
    return list(people_with_role(Role.HR, review_request.organisation))


def request_received(review_request) -> None:
    context = {"review_request": review_request, "url": _url(review_request)}
    send("requests/received", [review_request.agent.user], **context)
    send("requests/to_decide", _deciders(review_request), **context)


def review_proposed(review_request) -> None:
    send(
        "requests/proposed",
        [review_request.agent.user],
        review_request=review_request,
        url=_url(review_request),
    )


def proposal_answered(review_request) -> None:
    send(
        "requests/proposal_answered",
        [review_request.proposed_by],
        review_request=review_request,
        url=_url(review_request),
    )


def request_withdrawn(review_request) -> None:
    send(
        "requests/withdrawn",
        _deciders(review_request),
        review_request=review_request,
        url=_url(review_request),
    )


def request_decided(review_request) -> None:
    context = {"review_request": review_request, "url": _url(review_request)}
    send("requests/decided", [review_request.agent.user], **context)
    others = [u for u in _deciders(review_request) if u.pk != review_request.decided_by_id]
    send("requests/decided_for_deciders", others, **context)


def disability_officer_informed(review_request) -> None:
    """The fact that an L5212-13 agent takes a review, never the content of the request."""
    send(
        "requests/disability_officer",
        people_with_role(Role.DISABILITY_OFFICER, review_request.organisation),
        agent=review_request.agent,
        wants_disability_officer=review_request.wants_disability_officer,
        url=settings.SITE_URL + reverse("portals:disability_officer"),
    )


def postponement_submitted(review_request) -> None:
    send(
        "requests/postponement_submitted",
        people_with_role(Role.HR, review_request.organisation),
        review_request=review_request,
        url=settings.SITE_URL + reverse("requests:postponement", args=[review_request.pk]),
    )


def postponement_answered(review_request, *, agreed: bool, reason: str) -> None:
    context = {
        "review_request": review_request,
        "agreed": agreed,
        "reason": reason,
        "url": _url(review_request),
    }
    send("requests/postponement_answered", _deciders(review_request), **context)
    if agreed:
        send("requests/decided", [review_request.agent.user], **context)


def implicitly_rejected(review_request) -> None:
    context = {"review_request": review_request, "url": _url(review_request)}
    send("requests/implicitly_rejected", [review_request.agent.user], **context)
    send("requests/implicitly_rejected_deciders", _deciders(review_request), **context)


def deadline_reminder(review_request, *, days_before: int, last: bool) -> None:
    context = {
        "review_request": review_request,
        "days_before": days_before,
        "last": last,
        "url": _url(review_request),
    }
    send("requests/reminder", _deciders(review_request), **context)
    if last:
        send(
            "requests/reminder_hr",
            people_with_role(Role.HR, review_request.organisation),
            **context,
        )

"""
The e-mails of a request's life (through `bpp.mailer`), sent by `bpp.requests.services`
and the periodic jobs. None of them contains the agent's own words.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.tasks import task
from django.urls import reverse

from bpp import mailer
from bpp.people.models import Role, User
from bpp.requests import deadlines
from bpp.requests.models import ReviewRequest

# How many recipients one queued task of a periodic job serves, each with their own message.
RECIPIENTS_PER_TASK = 1000
# How many requests a digest names; the others are counted, with a link to the list.
DIGEST_SHOWN = 20


def _send(name: str, recipients, **context) -> None:
    mailer.send(
        name, recipients, legal_basis=deadlines.LEGAL_BASIS, remedies=deadlines.REMEDIES, **context
    )


def _deliver(name: str, messages, **context) -> None:
    mailer.deliver(
        name, messages, legal_basis=deadlines.LEGAL_BASIS, remedies=deadlines.REMEDIES, **context
    )


@dataclass(frozen=True)
class Digest:
    """One recipient's message about several requests: those it names, nearest deadline
    first, and how many there are in all."""

    recipient: User
    review_requests: list[ReviewRequest]
    total: int

    def context(self, today: datetime.date | None = None) -> dict:
        listed = self.review_requests
        if today is not None:  # with the days left to each deadline
            listed = [(r, deadlines.days_left(r.decision_deadline, today)) for r in listed]
        return {"listed": listed, "total": self.total, "others": self.total - len(listed)}


def _url(review_request) -> str:
    return settings.SITE_URL + reverse("requests:detail", args=[review_request.pk])


def _deciders(review_request) -> list[User]:
    """Who decides: the line manager, or the HR service when the agent has none."""
    manager = review_request.agent.manager
    if manager is not None:
        return [manager]
    return list(User.objects.holding(Role.HR, review_request.organisation))


def request_received(review_request) -> None:
    context = {"review_request": review_request, "url": _url(review_request)}
    _send("requests/received", [review_request.agent.user], **context)
    _send("requests/to_decide", _deciders(review_request), **context)


def review_proposed(review_request) -> None:
    _send(
        "requests/proposed",
        [review_request.agent.user],
        review_request=review_request,
        url=_url(review_request),
    )


def proposal_answered(review_request) -> None:
    _send(
        "requests/proposal_answered",
        [review_request.proposed_by],
        review_request=review_request,
        url=_url(review_request),
    )


def request_withdrawn(review_request) -> None:
    _send(
        "requests/withdrawn",
        _deciders(review_request),
        review_request=review_request,
        url=_url(review_request),
    )


def request_decided(review_request) -> None:
    context = {"review_request": review_request, "url": _url(review_request)}
    _send("requests/decided", [review_request.agent.user], **context)
    others = [u for u in _deciders(review_request) if u.pk != review_request.decided_by_id]
    _send("requests/decided_for_deciders", others, **context)


def disability_officer_informed(review_request) -> None:
    """The fact that an L5212-13 agent takes a review, never the content of the request."""
    _send(
        "requests/disability_officer",
        User.objects.holding(Role.DISABILITY_OFFICER, review_request.organisation),
        agent=review_request.agent,
        wants_disability_officer=review_request.wants_disability_officer,
        url=settings.SITE_URL + reverse("portals:disability_officer"),
    )


def postponement_submitted(review_request) -> None:
    _send(
        "requests/postponement_submitted",
        User.objects.holding(Role.HR, review_request.organisation),
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
    _send("requests/postponement_answered", _deciders(review_request), **context)
    if agreed:
        _send("requests/decided", [review_request.agent.user], **context)


def implicitly_rejected(review_request) -> None:
    context = {"review_request": review_request, "url": _url(review_request)}
    _send("requests/implicitly_rejected", [review_request.agent.user], **context)
    _send("requests/implicitly_rejected_deciders", _deciders(review_request), **context)


def implicit_rejection_notices(review_requests: Iterable[ReviewRequest]) -> None:
    """Tell each agent, in a message of their own, that their request is implicitly rejected.

    Sent at once (by the worker, see `send_implicit_rejection_notices`), as `implicitly_rejected`
    tells one agent when they ask again."""
    _deliver(
        "requests/implicitly_rejected",
        [(r.agent.user, {"review_request": r, "url": _url(r)}) for r in review_requests],
    )


def implicit_rejections_digest(digests: list[Digest], *, day: datetime.date) -> None:
    """Tell each decider, in one message, which of their requests the night's job recorded
    as implicitly rejected (the first DIGEST_SHOWN by name, the others counted)."""
    _deliver(
        "requests/implicit_rejections_digest",
        [(d.recipient, d.context()) for d in digests],
        day=day,
        url=settings.SITE_URL + reverse("requests:to_decide") + "?onglet=decidees",
    )


def postponement_ended_notices(review_requests: Iterable[ReviewRequest]) -> None:
    """Tell each agent, in a message of their own, that their postponement has ended."""
    _deliver(
        "requests/postponement_ended",
        [(r.agent.user, {"review_request": r, "url": _url(r)}) for r in review_requests],
    )


def postponements_ended_digest(digests: list[Digest], *, day: datetime.date) -> None:
    """Tell each mobility-career adviser, in one message, which requests of their employers
    joined the waiting queue that night, their postponement over."""
    _deliver(
        "requests/postponements_ended_digest",
        [(d.recipient, d.context()) for d in digests],
        day=day,
        url=settings.SITE_URL + reverse("portals:cmc"),
    )


def deadline_reminders_digest(
    digests: list[Digest], alerts: list[Digest], *, today: datetime.date
) -> None:
    """Remind each decider, in one message a day, of their requests close to their deadline,
    the nearest first; and alert the HR service of the requests their managers have not
    decided at the last reminder (in the same message when HR decides some too)."""
    messages = {d.recipient.pk: (d.recipient, {"to_decide": d.context(today)}) for d in digests}
    for alert in alerts:
        _, context = messages.setdefault(alert.recipient.pk, (alert.recipient, {}))
        context["alerts"] = alert.context(today)
    _deliver(
        "requests/reminders_digest",
        [(r, {"to_decide": None, "alerts": None} | c) for r, c in messages.values()],
        today=today,
        url=settings.SITE_URL + reverse("requests:to_decide"),
    )


# The tasks of the periodic jobs: each carries ids only and serves up to
# RECIPIENTS_PER_TASK recipients, whose messages it renders, sends and keeps at once.


def _requests(ids) -> dict[int, ReviewRequest]:
    return ReviewRequest.objects.select_related("agent__user").in_bulk(ids)


def _digests(rows: list[list]) -> list[Digest]:
    """[recipient id, request ids, total] → the digests, the requests nearest deadline first."""
    users = User.objects.in_bulk([row[0] for row in rows])
    requests = _requests({pk for row in rows for pk in row[1]})
    return [
        Digest(
            recipient=users[user_id],
            review_requests=sorted(
                (requests[pk] for pk in ids if pk in requests),
                key=lambda r: (r.decision_deadline, r.pk),
            )[:DIGEST_SHOWN],
            total=total,
        )
        for user_id, ids, total in rows
        if user_id in users
    ]


@task
def send_implicit_rejection_notices(*, request_ids: list[int]) -> None:
    requests = _requests(request_ids)  # less any deleted since
    implicit_rejection_notices(requests[pk] for pk in sorted(requests))


@task
def send_implicit_rejection_digests(*, day: str, digests: list[list]) -> None:
    implicit_rejections_digest(_digests(digests), day=datetime.date.fromisoformat(day))


@task
def send_postponement_ended_notices(*, request_ids: list[int]) -> None:
    requests = _requests(request_ids)  # less any deleted since
    postponement_ended_notices(requests[pk] for pk in sorted(requests))


@task
def send_postponements_ended_digests(*, day: str, digests: list[list]) -> None:
    postponements_ended_digest(_digests(digests), day=datetime.date.fromisoformat(day))


@task
def send_deadline_reminder_digests(*, today: str, digests: list[list], alerts: list[list]) -> None:
    deadline_reminders_digest(
        _digests(digests), _digests(alerts), today=datetime.date.fromisoformat(today)
    )

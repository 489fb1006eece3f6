"""
The e-mails of a request's life (through `bpp.mailer`), sent by `bpp.requests.services`
and the periodic jobs. None of them contains the agent's own words.
"""

from django.conf import settings
from django.urls import reverse

from bpp import mailer
from bpp.people.models import Role, User
from bpp.requests import deadlines


def _send(name: str, recipients, **context) -> None:
    mailer.send(
        name, recipients, legal_basis=deadlines.LEGAL_BASIS, remedies=deadlines.REMEDIES, **context
    )


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


def postponement_ended(review_request) -> None:
    context = {"review_request": review_request, "url": _url(review_request)}
    _send("requests/postponement_ended", [review_request.agent.user], **context)
    _send(
        "requests/postponement_ended_cmc",
        User.objects.holding(Role.CMC, review_request.organisation),
        **context,
    )


def deadline_reminder(review_request, *, days_before: int, last: bool) -> None:
    context = {
        "review_request": review_request,
        "days_before": days_before,
        "last": last,
        "url": _url(review_request),
    }
    _send("requests/reminder", _deciders(review_request), **context)
    if last:
        _send(
            "requests/reminder_hr",
            User.objects.holding(Role.HR, review_request.organisation),
            **context,
        )

"""
The periodic jobs of requests, run from cron or a systemd timer (see README).

Each is idempotent and safe to run twice at once: it locks the rows it takes with
SKIP LOCKED and changes them with a conditional update, so a row is handled once.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bpp.requests import deadlines, emails
from bpp.requests.models import (
    AWAITING_DECISION,
    POSTPONEMENT_ENDED_REASON,
    RequestTransition,
    ReviewRequest,
    Status,
)


def _take(queryset, batch_size: int) -> list[ReviewRequest]:
    return list(
        queryset.select_for_update(skip_locked=True, of=("self",))
        .select_related("agent__user", "agent__manager", "organisation")
        .order_by("pk")[:batch_size]
    )


def record_implicit_rejections(
    *, now: datetime.datetime | None = None, batch_size: int = 500
) -> int:
    """Record the implicit rejection of every overdue request and tell agents and deciders.

    The requests already read as rejected everywhere; this writes it down once.
    """
    now = now or timezone.now()
    today = deadlines.legal_today(now)
    recorded = 0
    while True:
        with transaction.atomic():
            overdue = _take(ReviewRequest.objects.overdue(today), batch_size)
            if not overdue:
                return recorded
            ids = [r.pk for r in overdue]
            ReviewRequest.objects.filter(pk__in=ids, status__in=AWAITING_DECISION).update(
                status=Status.IMPLICITLY_REJECTED
            )
            RequestTransition.objects.bulk_create(
                RequestTransition(
                    request=r, from_status=r.status, to_status=Status.IMPLICITLY_REJECTED, at=now
                )
                for r in overdue
            )
            for review_request in overdue:
                review_request.status = review_request.state = Status.IMPLICITLY_REJECTED
                emails.implicitly_rejected(review_request)
            recorded += len(overdue)


def record_postponement_ends(*, now: datetime.datetime | None = None, batch_size: int = 500) -> int:
    """Record the approval of every request whose postponement has ended; tell the agent
    and the employer's mobility-career advisers, who will offer them a seat.

    The requests already read as approved, and wait in the queue ranked by `decided_at`,
    the day the postponement was decided, which this keeps.
    """
    now = now or timezone.now()
    today = deadlines.legal_today(now)
    recorded = 0
    while True:
        with transaction.atomic():
            ended = _take(ReviewRequest.objects.postponement_over(today), batch_size)
            if not ended:
                return recorded
            ReviewRequest.objects.filter(
                pk__in=[r.pk for r in ended], status=Status.POSTPONED
            ).update(status=Status.APPROVED)
            RequestTransition.objects.bulk_create(
                RequestTransition(
                    request=r,
                    from_status=Status.POSTPONED,
                    to_status=Status.APPROVED,
                    at=now,
                    reason=POSTPONEMENT_ENDED_REASON,
                )
                for r in ended
            )
            for review_request in ended:
                review_request.status = review_request.state = Status.APPROVED
                emails.postponement_ended(review_request)
            recorded += len(ended)


def send_deadline_reminders(
    *, now: datetime.datetime | None = None, steps: list[int] | None = None
) -> int:
    """Remind the deciders of requests close to their deadline, once per step.

    With steps 15 and 3, a request 2 days from its deadline that was never reminded
    gets the 3-day reminder only: a late first run never sends a stale one.
    """
    now = now or timezone.now()
    today = deadlines.legal_today(now)
    steps = sorted(steps or settings.REQUEST_REMINDER_DAYS)
    sent = 0
    for step in steps:  # the nearest step first
        with transaction.atomic():
            due = _take(
                ReviewRequest.objects.filter(
                    status__in=AWAITING_DECISION,
                    decision_deadline__gte=today,
                    decision_deadline__lte=today + datetime.timedelta(days=step),
                ).exclude(reminded_days_before__lte=step),
                batch_size=10_000,
            )
            ReviewRequest.objects.filter(pk__in=[r.pk for r in due]).update(
                reminded_days_before=step
            )
            for review_request in due:
                emails.deadline_reminder(
                    review_request,
                    days_before=review_request.days_left(today),
                    last=step == steps[0],
                )
            sent += len(due)
    return sent

"""
The periodic jobs of syntheses, run by the scheduler (SCHEDULE in settings, see README).

Idempotent and safe to run twice at once. The destruction reminders lock the rows they
take with SKIP LOCKED and mark them reminded for the day, so each consultant gets at most
one e-mail a day. The follow-ups insert one row per (synthesis, due) under a unique
constraint, each in its own short transaction with its e-mail: the run whose INSERT
succeeds sends the e-mail; the other one meets the constraint and skips it.
"""

import datetime
from itertools import groupby

from django.db import IntegrityError, transaction
from django.utils import timezone

from bpp.requests import deadlines
from synthesis import emails
from synthesis.models import (
    FOLLOW_UP_MONTHS,
    SENDING_WINDOW_MONTHS,
    FollowUp,
    ProviderCopy,
    Status,
    Synthesis,
)


def send_destruction_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind each consultant whose access has ended to attest the destruction of what
    they downloaded: one e-mail a day listing their cohorts, until they attest."""
    now = now or timezone.now()
    today = deadlines.legal_today(now)
    with transaction.atomic():
        reminded_today = ProviderCopy.objects.filter(reminded_on=today).values("consultant")
        due = list(
            ProviderCopy.objects.due(now)
            .exclude(consultant__in=reminded_today)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("consultant", "cohort__organisation")
            .order_by("consultant", "cohort__title", "pk")
        )
        ProviderCopy.objects.filter(pk__in=[c.pk for c in due]).update(reminded_on=today)
        for consultant, copies in groupby(due, key=lambda c: c.consultant):
            emails.destruction_reminder(consultant, list(copies))
    return len({c.consultant_id for c in due})


def _concluded_on(synthesis: Synthesis) -> datetime.date:
    return deadlines.legal_today(synthesis.enrolment.cohort.concluded_at)


def follow_ups_due(today: datetime.date) -> list[tuple[Synthesis, int]]:
    """The follow-ups to send on `today`: (synthesis, months) for each signed synthesis of
    an agent who stayed in their cohort to its end, `months` after the cohort actually
    concluded (early or not), and not sent yet.

    Month arithmetic runs forward from the conclusion (concluded 31 January → due
    30 April), so the due dates are computed here rather than in SQL; the query only
    narrows the cohorts to those concluded in the months that can be due.
    """
    first, last = min(FOLLOW_UP_MONTHS), max(FOLLOW_UP_MONTHS) + SENDING_WINDOW_MONTHS
    earliest = deadlines.add_months(today, -last)
    since, _ = deadlines.legal_day_range(earliest, earliest)
    # No month is shorter than 28 days: a wider net than needed, which the dates then trim.
    latest = today - datetime.timedelta(days=28 * first)
    _, until = deadlines.legal_day_range(latest, latest)
    candidates = (
        Synthesis.objects.filter(
            status=Status.SIGNED,
            enrolment__withdrawn_at__isnull=True,
            enrolment__cohort__concluded_at__gte=since,
            enrolment__cohort__concluded_at__lt=until,
        )
        .select_related("enrolment__agent__user", "enrolment__cohort", "key")
        .prefetch_related("follow_ups")
        .order_by("pk")
    )
    due = []
    for synthesis in candidates:
        concluded_on = _concluded_on(synthesis)
        sent = {f.months for f in synthesis.follow_ups.all()}
        for months in FOLLOW_UP_MONTHS:
            starts = deadlines.add_months(concluded_on, months)
            ends = deadlines.add_months(concluded_on, months + SENDING_WINDOW_MONTHS)
            if months not in sent and starts <= today < ends:
                due.append((synthesis, months))
    return due


def send_follow_ups(*, now: datetime.datetime | None = None) -> int:
    """Send the follow-ups due today, each exactly once; return how many this run sent.

    A synthesis whose plan holds no action gets none (its agent still receives the cold
    questionnaire, which never asked about actions).
    """
    now = now or timezone.now()
    sent = 0
    for synthesis, months in follow_ups_due(deadlines.legal_today(now)):
        plan = synthesis.current().content.get("actions", [])
        actions = [{"title": a["title"], "status": "", "on": ""} for a in plan if a.get("title")]
        if not actions:
            continue
        try:
            with transaction.atomic():
                follow_up = FollowUp.objects.create(
                    synthesis=synthesis,
                    months=months,
                    sent_at=now,
                    actions=actions,
                    actions_count=len(actions),
                )
                emails.follow_up_sent(follow_up)
        except IntegrityError:
            continue  # another run sent it a moment ago
        sent += 1
    return sent

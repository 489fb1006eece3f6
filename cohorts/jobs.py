"""
The periodic job of cohorts: the programme's messages and exercises, sent when due.

Nothing is planned per agent in advance: each run reads the programme a cohort follows
and its current dates (`cohorts.models.programme`), so a moved phase moves its messages.
An item goes to an agent once: the run inserts its `ProgrammeDelivery` rows, ignoring
those that exist, then sends exactly the rows it inserted (its own `run` id). Two runs
at once, or a rerun, never send a message twice.
"""

import datetime
import uuid
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from bpp.requests import deadlines
from cohorts import emails
from cohorts.models import (
    CATCH_UP_DAYS,
    Anchors,
    Cohort,
    Phase,
    ProgrammeDelivery,
    ProgrammeItem,
    effective_items,
)


def due_items(cohort: Cohort, today: datetime.date) -> list[ProgrammeItem]:
    """The items of the cohort's programme to send `today`: due today or in the last
    CATCH_UP_DAYS days, of a phase the cohort has reached."""
    anchors = Anchors(cohort)
    oldest = today - datetime.timedelta(days=CATCH_UP_DAYS)
    return [
        item
        for item in effective_items(cohort)
        if item.phase <= cohort.current_phase
        and (due := item.due_on(anchors)) is not None
        and oldest <= due <= today
    ]


def _send_for(cohort_pk: int, *, today: datetime.date, now: datetime.datetime, run: uuid.UUID):
    with transaction.atomic():
        # Concluding or cancelling the cohort takes this lock too: it waits, or we see it.
        cohort = (
            Cohort.objects.select_for_update()
            .filter(
                pk=cohort_pk,
                current_phase__isnull=False,
                concluded_at__isnull=True,
                cancelled_at__isnull=True,
            )
            .first()
        )
        if cohort is None:
            return 0
        items = due_items(cohort, today)
        if not items:
            return 0
        enrolments = list(cohort.enrolments.current())
        rows = [
            ProgrammeDelivery(item=item, enrolment=enrolment, sent_at=now, run=run)
            for item in items
            for enrolment in enrolments
            # Phase 2 on is open to the agent once the contract is signed; a message that
            # is not essential reaches only the agents who keep them on.
            if (item.phase == Phase.LAUNCH or enrolment.contract_signed_at is not None)
            and (item.essential or enrolment.programme_messages)
        ]
        ProgrammeDelivery.objects.bulk_create(rows, ignore_conflicts=True)
        inserted = defaultdict(list)
        for delivery in ProgrammeDelivery.objects.filter(
            run=run, enrolment__cohort=cohort
        ).select_related("enrolment__agent__user"):
            inserted[delivery.item_id].append(delivery.enrolment.agent.user)
        for item in items:
            if inserted[item.pk]:
                emails.programme_item(item, cohort, inserted[item.pk])
        return sum(len(users) for users in inserted.values())


def send_programme(*, now: datetime.datetime | None = None) -> int:
    """Send the programme's items due to the agents of every running cohort; return how
    many messages went."""
    now = now or timezone.now()
    today = deadlines.legal_today(now)
    run = uuid.uuid4()
    running = Cohort.objects.filter(
        current_phase__isnull=False, concluded_at__isnull=True, cancelled_at__isnull=True
    ).order_by("pk")
    return sum(
        _send_for(pk, today=today, now=now, run=run) for pk in running.values_list("pk", flat=True)
    )

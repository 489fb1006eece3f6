"""
The periodic jobs of requests, run from cron or a systemd timer (see README).

Each works set by set, whatever the number of requests: it takes a batch with SKIP
LOCKED in keyset order (never re-reading what it has done), changes it with one
conditional UPDATE and logs the transitions with one INSERT. So a job is safe to run
twice at once, and a decision taken at the same moment wins or waits, never both.

The messages are queued as tasks carrying ids only (and the batch's ids are signalled
to the apps above, once committed, see `signals`), each for up to
`emails.RECIPIENTS_PER_TASK` recipients, and rendered by the worker: each agent gets
their own notice, each decider one digest for the run listing their requests.
"""

import datetime
import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from bpp.people.models import AgentProfile, Role, RoleAssignment
from bpp.requests import deadlines, emails, signals
from bpp.requests.models import (
    AWAITING_DECISION,
    POSTPONEMENT_ENDED_REASON,
    RequestTransition,
    ReviewRequest,
    Status,
)

BATCH_SIZE = 20_000


@dataclass
class _Listed:
    """A recipient's share of a digest: the first requests named, how many in all."""

    ids: list[int] = field(default_factory=list)
    total: int = 0

    def add(self, pk: int) -> None:
        if len(self.ids) < emails.DIGEST_SHOWN:
            self.ids.append(pk)
        self.total += 1


class _Recipients:
    """Who hears of which requests in a digest: users named directly (the line manager),
    and the holders of a role at an employer (its HR service, its advisers), found once
    at the end. Requests are added in the order the digest lists them."""

    def __init__(self, role: str = Role.HR) -> None:
        self.role = role
        self.users: dict[int, _Listed] = defaultdict(_Listed)
        self.organisations: dict[int, _Listed] = defaultdict(_Listed)

    def add(self, pk: int, *, user: int | None, organisation: int) -> None:
        """To `user`, or when there is none to the role's holders at `organisation`."""
        if user is not None:
            self.users[user].add(pk)
        else:
            self.organisations[organisation].add(pk)

    def rows(self) -> list[list]:
        """[user id, request ids named, total] for each recipient, by user id."""
        merged: dict[int, _Listed] = defaultdict(_Listed)
        for user, listed in self.users.items():
            merged[user].ids += listed.ids
            merged[user].total += listed.total
        holders = RoleAssignment.objects.filter(
            role=self.role, organisation__in=list(self.organisations), user__is_active=True
        ).values_list("organisation_id", "user_id")
        for organisation, user in holders.order_by("user_id", "organisation_id"):
            listed = self.organisations[organisation]
            merged[user].ids += listed.ids
            merged[user].total += listed.total
        return [[user, merged[user].ids, merged[user].total] for user in sorted(merged)]


def _chunks(items: list):
    """`items` in lists of one task's worth of recipients."""
    return (list(chunk) for chunk in itertools.batched(items, emails.RECIPIENTS_PER_TASK))


def _take(queryset, fields: tuple[str, ...], *, order: tuple[str, ...], batch_size: int) -> list:
    """The next batch of rows (their `fields`), locked, skipping those another
    transaction holds (a decision being taken, another copy of the job)."""
    return list(
        queryset.select_for_update(skip_locked=True, of=("self",))
        .order_by(*order)
        .values_list(*fields)[:batch_size]
    )


# One statement per batch on PostgreSQL: take the overdue requests (locked, skipping those
# a decision or another copy of the job holds), reject them, log their transitions, and
# return who decides each. A million requests take 50 of these, no row read twice.
REJECT_BATCH_SQL = """
WITH taken AS (
    SELECT request.id, request.status, agent.manager_id, request.organisation_id
    FROM {request} request JOIN {agent} agent ON agent.id = request.agent_id
    WHERE request.status = ANY(%(awaiting)s) AND request.decision_deadline < %(today)s
        AND request.id > %(after)s
    ORDER BY request.id
    LIMIT %(batch_size)s
    FOR UPDATE OF request SKIP LOCKED
), rejected AS (
    -- By primary key (an UPDATE … FROM taken would hash-join the whole table).
    UPDATE {request} request SET status = %(rejected)s
    WHERE request.id = ANY(ARRAY(SELECT id FROM taken))
), logged AS (
    INSERT INTO {transition} (request_id, from_status, to_status, at, reason)
    SELECT id, status, %(rejected)s, %(now)s, '' FROM taken
)
SELECT id, manager_id, organisation_id FROM taken ORDER BY id
"""


def _reject_batch(
    *, today: datetime.date, now: datetime.datetime, after: int, batch_size: int
) -> list[tuple[int, int | None, int]]:
    """Record the implicit rejection of the next batch of overdue requests after the pk
    `after`: (pk, manager id, employer id) of each, by pk."""
    if connection.vendor == "postgresql":
        sql = REJECT_BATCH_SQL.format(
            request=ReviewRequest._meta.db_table,
            agent=AgentProfile._meta.db_table,
            transition=RequestTransition._meta.db_table,
        )
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                {
                    "awaiting": [status.value for status in AWAITING_DECISION],
                    "today": today,
                    "after": after,
                    "batch_size": batch_size,
                    "rejected": Status.IMPLICITLY_REJECTED.value,
                    "now": now,
                },
            )
            return cursor.fetchall()
    # Elsewhere (SQLite: development, the demo) the same in three statements.
    taken = _take(
        ReviewRequest.objects.overdue(today).filter(pk__gt=after),
        ("pk", "status", "agent__manager", "organisation"),
        order=("pk",),
        batch_size=batch_size,
    )
    ReviewRequest.objects.filter(
        pk__in=[pk for pk, *_ in taken], status__in=AWAITING_DECISION
    ).update(status=Status.IMPLICITLY_REJECTED)
    RequestTransition.objects.bulk_create(
        RequestTransition(
            request_id=pk, from_status=status, to_status=Status.IMPLICITLY_REJECTED, at=now
        )
        for pk, status, *_ in taken
    )
    return [(pk, manager, organisation) for pk, _, manager, organisation in taken]


def record_implicit_rejections(
    *, now: datetime.datetime | None = None, batch_size: int = BATCH_SIZE
) -> int:
    """Record the implicit rejection of every overdue request; queue each agent's notice
    and each decider's digest (the line manager, or the HR service when there is none).

    The requests already read as rejected everywhere; this writes it down once.
    """
    now = now or timezone.now()
    today = deadlines.legal_today(now)
    deciders = _Recipients(Role.HR)
    recorded, after = 0, 0
    while True:
        with transaction.atomic():
            rejected = _reject_batch(today=today, now=now, after=after, batch_size=batch_size)
            if not rejected:
                break
            ids = [pk for pk, _, _ in rejected]
            for chunk in _chunks(ids):
                emails.send_implicit_rejection_notices.enqueue(request_ids=chunk)
            # One signal for the whole batch: its receivers work set by set too.
            signals.send_on_commit(signals.requests_implicitly_rejected, request_ids=ids)
        for pk, manager, organisation in rejected:
            deciders.add(pk, user=manager, organisation=organisation)
        recorded += len(rejected)
        after = ids[-1]
    for chunk in _chunks(deciders.rows()):
        emails.send_implicit_rejection_digests.enqueue(day=today.isoformat(), digests=chunk)
    return recorded


def record_postponement_ends(
    *, now: datetime.datetime | None = None, batch_size: int = BATCH_SIZE
) -> int:
    """Record the approval of every request whose postponement has ended; queue each
    agent's notice and one digest for each mobility-career adviser of their employers,
    who will offer them a seat.

    The requests already read as approved, and wait in the queue ranked by `decided_at`,
    the day the postponement was decided, which this keeps.
    """
    now = now or timezone.now()
    today = deadlines.legal_today(now)
    advisers = _Recipients(Role.CMC)
    recorded, after = 0, 0
    while True:
        with transaction.atomic():
            taken = _take(
                ReviewRequest.objects.postponement_over(today).filter(pk__gt=after),
                ("pk", "organisation"),
                order=("pk",),
                batch_size=batch_size,
            )
            if not taken:
                break
            ids = [pk for pk, _ in taken]
            ReviewRequest.objects.filter(pk__in=ids, status=Status.POSTPONED).update(
                status=Status.APPROVED
            )
            RequestTransition.objects.bulk_create(
                RequestTransition(
                    request_id=pk,
                    from_status=Status.POSTPONED,
                    to_status=Status.APPROVED,
                    at=now,
                    reason=POSTPONEMENT_ENDED_REASON,
                )
                for pk in ids
            )
            for chunk in _chunks(ids):
                emails.send_postponement_ended_notices.enqueue(request_ids=chunk)
        for pk, organisation in taken:
            advisers.add(pk, user=None, organisation=organisation)
        recorded += len(taken)
        after = ids[-1]
    for chunk in _chunks(advisers.rows()):
        emails.send_postponements_ended_digests.enqueue(day=today.isoformat(), digests=chunk)
    return recorded


def send_deadline_reminders(
    *,
    now: datetime.datetime | None = None,
    steps: list[int] | None = None,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Remind the deciders of every request close to its deadline, once per step, the
    nearest deadline first, in one message a day per recipient; at the last step, alert
    the HR service of the requests their managers have not decided. Returns how many
    requests were reminded.

    With steps 15 and 3, a request 2 days from its deadline that was never reminded
    gets the 3-day reminder only: a late first run never sends a stale one.
    """
    now = now or timezone.now()
    today = deadlines.legal_today(now)
    steps = sorted(steps or settings.REQUEST_REMINDER_DAYS)
    deciders, alerted = _Recipients(Role.HR), _Recipients(Role.HR)
    reminded = 0
    for step in steps:  # the nearest step first
        due = ReviewRequest.objects.filter(
            status__in=AWAITING_DECISION,
            decision_deadline__gte=today,
            decision_deadline__lte=today + datetime.timedelta(days=step),
        ).exclude(reminded_days_before__lte=step)
        after = Q()
        while True:
            with transaction.atomic():
                taken = _take(
                    due.filter(after),
                    ("pk", "decision_deadline", "agent__manager", "organisation"),
                    order=("decision_deadline", "pk"),
                    batch_size=batch_size,
                )
                if not taken:
                    break
                ReviewRequest.objects.filter(pk__in=[pk for pk, *_ in taken]).update(
                    reminded_days_before=step
                )
            for pk, _, manager, organisation in taken:
                deciders.add(pk, user=manager, organisation=organisation)
                if step == steps[0] and manager is not None:
                    alerted.add(pk, user=None, organisation=organisation)
            reminded += len(taken)
            last_pk, last_deadline = taken[-1][:2]
            after = Q(decision_deadline__gt=last_deadline) | Q(
                decision_deadline=last_deadline, pk__gt=last_pk
            )
    digests = {row[0]: row for row in deciders.rows()}
    alerts = {row[0]: row for row in alerted.rows()}
    for chunk in _chunks(sorted(digests.keys() | alerts.keys())):
        emails.send_deadline_reminder_digests.enqueue(
            today=today.isoformat(),
            digests=[digests[user] for user in chunk if user in digests],
            alerts=[alerts[user] for user in chunk if user in alerts],
        )
    return reminded

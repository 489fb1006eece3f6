"""
The calendar of retention periods, shared by every app's purge rule (`<app>/retention.py`).

A period of N months runs from a reference day (a request closed, a cohort ended, a
synthesis signed) to the same day number N months later, or the last day of a shorter
month, as the request deadlines do: the data is kept through that day and deleted from
the next one. Closed on 31 January with one month: kept through 28 (or 29) February,
deleted on 1 March. The purge works on sets: `last_expired_day(today, months)` is the
latest reference day whose period is over on `today`.
"""

import calendar
import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

LEGAL_TIME_ZONE = ZoneInfo("Europe/Paris")
NOTICE_MONTHS = 1  # how long before a deletion the person concerned is told

ONE_DAY = datetime.timedelta(days=1)


def today(now: datetime.datetime | None = None) -> datetime.date:
    """The date in Paris at `now` (default: this instant)."""
    return timezone.localtime(now or timezone.now(), LEGAL_TIME_ZONE).date()


def shift_months(day: datetime.date, months: int) -> datetime.date:
    """The same day number `months` later (earlier if negative), or the last day of a
    shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, _days_in(year, month)))


def _days_in(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def kept_until(reference: datetime.date, months: int) -> datetime.date:
    """The last day data of `reference` is kept for a period of `months`."""
    return shift_months(reference, months)


def deleted_on(reference: datetime.date, months: int) -> datetime.date:
    """The day the purge deletes data of `reference`: the day after its last day."""
    return kept_until(reference, months) + ONE_DAY


def last_expired_day(on: datetime.date, months: int) -> datetime.date:
    """The latest reference day whose period of `months` is over on `on` (its data goes
    on `on`): every reference day up to it, and none after, has `deleted_on <= on`."""
    last_kept = on - ONE_DAY  # the periods that end on this day or earlier are over
    if last_kept.day == _days_in(last_kept.year, last_kept.month):
        # Ending on a month's last day: so does every period from a later day of the
        # same month `months` earlier (31 January + 1 month ends on 28 February).
        earlier = shift_months(last_kept.replace(day=1), -months)
        return earlier.replace(day=_days_in(earlier.year, earlier.month))
    return shift_months(last_kept, -months)


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight in Paris at the start of `day`, for comparing instants with days."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=LEGAL_TIME_ZONE)


def expired_before(on: datetime.date, kind: str) -> datetime.datetime:
    """The instant before which a reference instant's period of kind `kind` (a key of
    RETENTION_MONTHS) is over on `on`: filter with `<reference>__lt`."""
    return start_of_day(last_expired_day(on, settings.RETENTION_MONTHS[kind]) + ONE_DAY)


def notice_due_before(on: datetime.date) -> datetime.datetime:
    """Data may be deleted on `on` only if its person was told before this instant."""
    return start_of_day(shift_months(on, -NOTICE_MONTHS) + ONE_DAY)


def delete_in_batches(queryset, *, batch_size: int = 1000) -> int:
    """Delete the rows of `queryset` (and what cascades from them) a batch at a time, each
    batch in its own transaction; return how many rows of its model went.

    Idempotent, and safe beside another run: a row already deleted is simply not found.
    """
    model = queryset.model
    deleted = 0
    while True:
        with transaction.atomic():
            batch = list(queryset.order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not batch:
                return deleted
            model._base_manager.filter(pk__in=batch).delete()
            deleted += len(batch)

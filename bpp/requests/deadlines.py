"""
The calendar of a request: when the administration must answer, in legal time.

Silence kept for two months on a review request is a rejection (code des relations
entre le public et l'administration, art. L231-4 5°). The two months run from the
day the request is received; the administration may still decide on the deadline
day itself, in Paris time; from the next day the request is implicitly rejected.
"""

import calendar
import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

LEGAL_TIME_ZONE = ZoneInfo("Europe/Paris")
DECISION_PERIOD_MONTHS = 2
LEGAL_BASIS = "article L. 231-4, 5° du code des relations entre le public et l’administration"
# The voies et délais de recours, stated by every refusal and implicit rejection.
REMEDIES = (
    "Vous pouvez former un recours gracieux auprès de l’autorité qui a pris la décision, ou un "
    "recours hiérarchique, et un recours contentieux devant le tribunal administratif dans un "
    "délai de deux mois à compter de la notification de cette décision (ou de la naissance de "
    "la décision implicite)."
)


def legal_today(now: datetime.datetime | None = None) -> datetime.date:
    """The date in Paris at `now` (default: this instant), whatever the server's zone."""
    return timezone.localtime(now or timezone.now(), LEGAL_TIME_ZONE).date()


def legal_day_range(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, ...]:
    """The instants from the start of `first` to the end of `last` in Paris, as the half-open
    range (start, next midnight). `at__gte=start, at__lt=end` is index-friendly where
    `at__date__range` converts every row's instant to a date first."""
    return tuple(
        datetime.datetime.combine(day, datetime.time.min, tzinfo=LEGAL_TIME_ZONE)
        for day in (first, last + datetime.timedelta(days=1))
    )


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day number `months` later, or the last day of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def decision_deadline(received_on: datetime.date) -> datetime.date:
    """The last day on which the administration may decide a request received on `received_on`."""
    return add_months(received_on, DECISION_PERIOD_MONTHS)


def latest_postponement_end(decided_on: datetime.date) -> datetime.date:
    """The last day a postponement decided on `decided_on` may run to (POSTPONEMENT_MAX_MONTHS).

    The request stays postponed through its end date and joins the waiting queue as
    approved from the next day, as a deadline is still open on its last day.
    """
    return add_months(decided_on, settings.POSTPONEMENT_MAX_MONTHS)


def days_left(deadline: datetime.date, today: datetime.date) -> int:
    """Whole days from `today` to `deadline`: 0 on the deadline day, negative after it."""
    return (deadline - today).days

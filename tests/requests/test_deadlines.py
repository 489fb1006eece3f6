import datetime
import os
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest

from bpp.requests import deadlines

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("received", "deadline"),
    [
        ((2026, 12, 31), (2027, 2, 28)),  # no 31 February: the month's last day
        ((2027, 12, 31), (2028, 2, 29)),  # a leap year
        ((2027, 1, 31), (2027, 3, 31)),
        ((2027, 11, 30), (2028, 1, 30)),  # across the year end
        ((2028, 2, 29), (2028, 4, 29)),
        ((2027, 8, 31), (2027, 10, 31)),
        ((2027, 10, 31), (2027, 12, 31)),
        ((2027, 12, 30), (2028, 2, 29)),
        ((2026, 6, 15), (2026, 8, 15)),
    ],
)
def test_the_deadline_is_two_calendar_months_later_clamped_to_the_month_end(received, deadline):
    assert deadlines.decision_deadline(datetime.date(*received)) == datetime.date(*deadline)


def test_the_legal_day_is_the_paris_day_not_the_utc_one():
    # 23:30 UTC on 31 December is already 1 January in Paris.
    now = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)

    assert deadlines.legal_today(now) == datetime.date(2027, 1, 1)


@pytest.mark.parametrize(
    ("paris_time", "expected_day"),
    [
        # The night of the change to summer time (29 March 2026, 02:00 → 03:00).
        (datetime.datetime(2026, 3, 29, 1, 59), datetime.date(2026, 3, 29)),
        (datetime.datetime(2026, 3, 29, 23, 59), datetime.date(2026, 3, 29)),
        # The night of the change to winter time (25 October 2026, 03:00 → 02:00).
        (datetime.datetime(2026, 10, 25, 23, 59), datetime.date(2026, 10, 25)),
        (datetime.datetime(2026, 10, 26, 0, 0), datetime.date(2026, 10, 26)),
    ],
)
def test_the_legal_day_follows_daylight_saving_changes(paris_time, expected_day):
    now = paris_time.replace(tzinfo=PARIS).astimezone(datetime.UTC)

    assert deadlines.legal_today(now) == expected_day


def test_days_left_is_zero_on_the_deadline_day_and_negative_after():
    deadline = datetime.date(2027, 2, 28)

    assert deadlines.days_left(deadline, datetime.date(2027, 2, 27)) == 1
    assert deadlines.days_left(deadline, deadline) == 0
    assert deadlines.days_left(deadline, datetime.date(2027, 3, 1)) == -1


@pytest.mark.parametrize(
    "decided, latest",
    [
        (datetime.date(2026, 8, 31), datetime.date(2027, 2, 28)),
        (datetime.date(2027, 8, 31), datetime.date(2028, 2, 29)),  # leap year
        (datetime.date(2026, 11, 3), datetime.date(2027, 5, 3)),
    ],
)
def test_a_postponement_ends_at_most_six_months_later_clamped_to_the_month_end(
    decided, latest, settings
):
    settings.POSTPONEMENT_MAX_MONTHS = 6

    assert deadlines.latest_postponement_end(decided) == latest


def test_a_maximum_postponement_above_twelve_months_refuses_to_start():
    env = os.environ | {"POSTPONEMENT_MAX_MONTHS": "13", "DEBUG": "true"}

    result = subprocess.run(
        [sys.executable, "-c", "import bpp.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured: POSTPONEMENT_MAX_MONTHS" in result.stderr

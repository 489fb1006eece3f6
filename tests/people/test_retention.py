"""The calendar of retention periods: kept through the same day number N months later
(or the last day of a shorter month), deleted from the next day."""

import datetime

import pytest

from bpp.people.retention import deleted_on, expired_before, kept_until, last_expired_day
from tests.clock import PARIS

D = datetime.date


@pytest.mark.parametrize(
    ("reference", "months", "last_day_kept"),
    [
        (D(2025, 3, 10), 24, D(2027, 3, 10)),
        (D(2025, 1, 31), 1, D(2025, 2, 28)),  # a shorter month: its last day
        (D(2027, 1, 31), 1, D(2027, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2025, 12, 31), 2, D(2026, 2, 28)),
    ],
)
def test_data_is_kept_through_the_same_day_number_and_deleted_the_next_day(
    reference, months, last_day_kept
):
    assert kept_until(reference, months) == last_day_kept
    assert deleted_on(reference, months) == last_day_kept + datetime.timedelta(days=1)


def test_on_the_last_day_kept_nothing_of_that_day_is_expired_on_the_next_day_it_is():
    reference = D(2025, 3, 10)
    assert last_expired_day(D(2027, 3, 10), 24) < reference  # the last day it is kept
    assert last_expired_day(D(2027, 3, 11), 24) == reference  # the day it goes


def test_every_day_of_a_longer_month_expires_with_the_shorter_months_last_day():
    # 29, 30 and 31 January + 1 month are all kept through 28 February, deleted 1 March.
    assert last_expired_day(D(2025, 2, 28), 1) == D(2025, 1, 27)
    assert last_expired_day(D(2025, 3, 1), 1) == D(2025, 1, 31)


def test_the_set_rule_and_the_rule_of_one_day_agree_over_four_years():
    for months in (1, 12, 24, 60):
        on = D(2026, 1, 1)
        while on < D(2030, 1, 1):
            last = last_expired_day(on, months)
            assert deleted_on(last, months) <= on
            assert deleted_on(last + datetime.timedelta(days=1), months) > on
            on += datetime.timedelta(days=1)


def test_the_day_is_the_day_in_paris(settings):
    settings.RETENTION_MONTHS = {**settings.RETENTION_MONTHS, "closed_requests": 1}
    # Kept through 28 February: an instant at 23:30 in Paris on 31 January is of that day.
    before = expired_before(D(2025, 3, 1), "closed_requests")
    assert before == datetime.datetime(2025, 2, 1, tzinfo=PARIS)
    assert datetime.datetime(2025, 1, 31, 23, 30, tzinfo=PARIS) < before

"""Sessions and interviews fall on working time: weekdays, no public holiday, 8 h–19 h Paris."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from cohorts.models import CohortError, Session
from cohorts.services import schedule_session
from cohorts.working_time import working_time_refusal
from tests.cohorts.factories import CohortFactory

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("starts_at", "minutes"),
    [
        (paris(2027, 3, 30, 8, 0), 60),  # opening time, to the minute
        (paris(2027, 3, 30, 16, 0), 180),  # ends at 19:00 exactly
        (datetime.datetime(2027, 6, 15, 7, 30, tzinfo=datetime.UTC), 60),  # 9:30 in Paris
    ],
)
def test_it_accepts_working_time(starts_at, minutes):
    assert working_time_refusal(starts_at, minutes) is None


@pytest.mark.parametrize(
    ("starts_at", "minutes", "said"),
    [
        (paris(2027, 3, 30, 7, 59), 60, "entre 8 h et 19 h"),
        (paris(2027, 3, 30, 16, 1), 180, "entre 8 h et 19 h"),  # ends at 19:01
        (paris(2027, 3, 30, 18, 0), 480, "entre 8 h et 19 h"),  # runs past midnight
        (paris(2027, 4, 3, 10, 0), 60, "samedi"),
        (paris(2027, 5, 1, 10, 0), 60, "samedi"),  # 1 May on a Saturday: the weekday first
        (paris(2026, 5, 1, 10, 0), 60, "jour férié (Fête du Travail)"),
        (paris(2027, 3, 29, 10, 0), 60, "jour férié (Lundi de Pâques)"),
        (paris(2026, 7, 14, 10, 0), 60, "jour férié"),
        # 6:30 UTC is 8:30 in Paris in summer, but 7:30 in winter.
        (datetime.datetime(2027, 1, 12, 6, 30, tzinfo=datetime.UTC), 60, "entre 8 h et 19 h"),
    ],
)
def test_it_refuses_what_is_not_working_time(starts_at, minutes, said):
    refusal = working_time_refusal(starts_at, minutes)

    assert refusal is not None and (
        said in refusal or (said == "jour férié" and "samedi" in refusal)
    )


def test_the_hours_are_a_setting(settings):
    settings.WORKING_HOURS = (datetime.time(9, 0), datetime.time(17, 30))

    assert "entre 9 h et 17 h 30" in working_time_refusal(paris(2027, 3, 30, 8, 30), 60)
    assert working_time_refusal(paris(2027, 3, 30, 16, 30), 60) is None


@pytest.mark.django_db
def test_scheduling_on_a_holiday_is_refused_and_changes_nothing():
    cohort = CohortFactory()

    with pytest.raises(CohortError, match="férié"):
        schedule_session(
            cohort=cohort,
            phase=2,
            title="Séance",
            starts_at=paris(2027, 7, 14, 10, 0),
            duration_minutes=120,
            place="Salle 3",
        )

    assert not Session.objects.exists()

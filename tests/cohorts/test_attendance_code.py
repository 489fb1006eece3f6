"""The rotating attendance code: derived, never stored, valid for its window and the next."""

import datetime

import pytest
from django.test import override_settings

from cohorts.models import Session
from tests.clock import paris
from tests.cohorts.factories import SessionFactory

pytestmark = pytest.mark.django_db

START = paris(2027, 3, 30, 9, 30)  # a Tuesday, the day after Easter Monday


@pytest.fixture
def session() -> Session:
    return SessionFactory(starts_at=START, duration_minutes=180)


def test_the_code_has_six_unambiguous_characters(session):
    code = session.attendance_code(START)

    assert len(code) == 6
    assert not set(code) & set("01OIL")


def test_the_code_changes_every_thirty_seconds(session):
    assert session.attendance_code(START) == session.attendance_code(
        START + datetime.timedelta(seconds=29)
    )
    assert session.attendance_code(START) != session.attendance_code(
        START + datetime.timedelta(seconds=30)
    )


def test_a_code_is_accepted_in_its_window_and_the_next_only(session):
    code = session.attendance_code(START)

    assert session.accepts_code(code, START)
    assert session.accepts_code(code, START + datetime.timedelta(seconds=59))
    assert not session.accepts_code(code, START + datetime.timedelta(seconds=60))
    assert not session.accepts_code(code, START - datetime.timedelta(seconds=1))


def test_the_code_is_accepted_as_people_type_it(session):
    code = session.attendance_code(START)

    assert session.accepts_code(f" {code[:3].lower()}-{code[3:]} ", START)


def test_each_session_has_its_own_code(session):
    other = SessionFactory(starts_at=START, cohort=session.cohort)

    assert session.attendance_code(START) != other.attendance_code(START)
    assert not other.accepts_code(session.attendance_code(START), START)


def test_the_code_depends_on_the_secret_key(session):
    code = session.attendance_code(START)

    with override_settings(SECRET_KEY="another-secret-key-for-this-test-only-0123456789"):
        assert session.attendance_code(START) != code


def test_no_code_is_stored(session):
    code = session.attendance_code(START)

    assert code not in str(Session.objects.filter(pk=session.pk).values().get())


def test_seconds_left_count_down_to_the_next_code(session):
    assert Session.code_seconds_left(START) == 30
    assert Session.code_seconds_left(START + datetime.timedelta(seconds=12)) == 18


@pytest.mark.parametrize(
    ("at", "open_"),
    [
        (paris(2027, 3, 30, 9, 14, 59), False),
        (paris(2027, 3, 30, 9, 15), True),  # a quarter of an hour before the start
        (paris(2027, 3, 30, 12, 29, 59), True),
        (paris(2027, 3, 30, 12, 30), False),  # the planned end
    ],
)
def test_signing_opens_a_quarter_before_the_start_until_the_end(session, at, open_):
    assert session.is_signing_open(at) is open_


def test_a_cancelled_session_cannot_be_signed(session):
    session.cancelled_at = START

    assert session.signing_refusal(START) == "Cette séance est annulée."

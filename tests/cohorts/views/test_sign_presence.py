"""The agent signs their own presence: the code shown in the room, or a remote confirmation."""

import datetime
from contextlib import contextmanager

import pytest
import time_machine
from django.urls import reverse

from cohorts.models import MAX_WRONG_CODES, Attendance, WrongAttendanceCode
from tests.clock import paris
from tests.cohorts.factories import EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db

START = paris(2027, 3, 30, 9, 30)
DURING = START + datetime.timedelta(minutes=10)


@pytest.fixture
def enrolment(client):
    enrolment = EnrolmentFactory()
    enrolment.sign_contract(version="2026-01")
    client.force_login(enrolment.agent.user)
    return enrolment


@pytest.fixture
def session(enrolment):
    return SessionFactory(cohort=enrolment.cohort, participants=[enrolment], starts_at=START)


@contextmanager
def at(client, user, instant):
    """At `instant`, with `user` signed in again (their session would have expired)."""
    with time_machine.travel(instant, tick=False):
        client.force_login(user)
        yield


def url(session):
    return reverse("cohorts:sign_presence", args=[session.pk])


def test_the_agent_signs_with_the_code_shown_in_the_room(client, enrolment, session):
    with at(client, enrolment.agent.user, DURING):
        response = client.post(url(session), {"code": session.attendance_code(DURING)}, follow=True)

    attendance = Attendance.objects.get()
    assert (attendance.status, attendance.method) == ("present", "code")
    assert attendance.signed_at == DURING
    assert attendance.recorded_by == enrolment.agent.user
    assert "Votre présence est signée" in response.text


def test_the_code_shown_half_a_minute_ago_is_still_accepted(client, enrolment, session):
    shown = DURING - datetime.timedelta(seconds=30)

    with at(client, enrolment.agent.user, DURING):
        client.post(url(session), {"code": session.attendance_code(shown)})

    assert Attendance.objects.get().status == "present"


def test_the_qr_code_brings_the_code_into_the_form_without_signing(client, enrolment, session):
    code = session.attendance_code(DURING)

    with at(client, enrolment.agent.user, DURING):
        response = client.get(url(session), {"code": code})

    assert f'value="{code}"' in response.text
    assert not Attendance.objects.exists()


def test_a_wrong_code_is_refused_and_counted(client, enrolment, session):
    with at(client, enrolment.agent.user, DURING):
        response = client.post(url(session), {"code": "ZZZZZZ"}, follow=True)

    assert "Ce code n’est pas le bon, ou il a expiré" in response.text
    assert f"Encore {MAX_WRONG_CODES - 1} essais" in response.text
    assert not Attendance.objects.exists()
    assert WrongAttendanceCode.objects.filter(enrolment=enrolment).count() == 1


def test_after_five_wrong_codes_even_the_right_one_waits_ten_minutes(client, enrolment, session):
    with at(client, enrolment.agent.user, DURING):
        for _ in range(MAX_WRONG_CODES):
            client.post(url(session), {"code": "ZZZZZZ"})
        response = client.post(url(session), {"code": session.attendance_code(DURING)}, follow=True)

    assert "Trop de codes erronés : réessayez dans 10 minutes" in response.text
    assert not Attendance.objects.exists()

    later = DURING + datetime.timedelta(minutes=10, seconds=1)
    with at(client, enrolment.agent.user, later):
        client.post(url(session), {"code": session.attendance_code(later)})

    assert Attendance.objects.get().status == "present"


def test_a_malformed_code_is_explained_and_not_counted(client, enrolment, session):
    with at(client, enrolment.agent.user, DURING):
        response = client.post(url(session), {"code": "12"})

    assert "Le code compte 6 caractères" in response.text
    assert not WrongAttendanceCode.objects.exists()


def test_signing_is_refused_before_it_opens(client, enrolment, session):
    early = START - datetime.timedelta(minutes=16)

    with at(client, enrolment.agent.user, early):
        page = client.get(url(session))
        response = client.post(url(session), {"code": session.attendance_code(early)}, follow=True)

    assert "L’émargement ouvre le mardi 30 mars 2027 à 9 h 15" in page.text
    assert "L’émargement ouvre le mardi 30 mars 2027 à 9 h 15" in response.text
    assert not Attendance.objects.exists()


def test_signing_is_refused_after_the_end(client, enrolment, session):
    end = START + datetime.timedelta(minutes=180)

    with at(client, enrolment.agent.user, end):
        response = client.post(url(session), {"code": session.attendance_code(end)}, follow=True)

    assert "L’émargement a fermé à 12 h 30" in response.text
    assert not Attendance.objects.exists()


def test_signing_twice_keeps_the_first_signature(client, enrolment, session):
    with at(client, enrolment.agent.user, DURING):
        client.post(url(session), {"code": session.attendance_code(DURING)})
    later = DURING + datetime.timedelta(minutes=5)
    with at(client, enrolment.agent.user, later):
        response = client.post(url(session), {"code": session.attendance_code(later)}, follow=True)

    assert Attendance.objects.get().signed_at == DURING
    assert "Votre présence est déjà signée depuis 9 h 40" in response.text


def test_a_remote_session_is_confirmed_from_its_page(client, enrolment):
    session = SessionFactory(
        cohort=enrolment.cohort,
        participants=[enrolment],
        starts_at=START,
        place="",
        video_link="https://visio.exemple.gouv.fr/bpp",
    )

    with at(client, enrolment.agent.user, DURING):
        assert "Je confirme ma présence à distance" in client.get(url(session)).text
        client.post(url(session), {"distance": ""})

    attendance = Attendance.objects.get()
    assert (attendance.status, attendance.method, attendance.signed_at) == (
        "present",
        "distance",
        DURING,
    )


def test_an_on_site_session_cannot_be_confirmed_remotely(client, enrolment, session):
    with at(client, enrolment.agent.user, DURING):
        assert "à distance" not in client.get(url(session)).text
        response = client.post(url(session), {"distance": ""}, follow=True)

    assert "signez avec le code affiché" in response.text
    assert not Attendance.objects.exists()


def test_an_agent_who_is_not_a_participant_gets_404(client, enrolment, session):
    other = EnrolmentFactory(cohort=session.cohort)

    with at(client, other.agent.user, DURING):
        assert client.get(url(session)).status_code == 404
        assert (
            client.post(url(session), {"code": session.attendance_code(DURING)}).status_code == 404
        )

    assert not Attendance.objects.exists()


def test_an_agent_who_left_the_cohort_gets_404(client, enrolment, session):
    enrolment.withdrawn_at = START
    enrolment.save()

    with at(client, enrolment.agent.user, DURING):
        assert client.get(url(session)).status_code == 404


def test_the_interviewed_agent_signs_their_interview(client, enrolment):
    interview = SessionFactory(
        cohort=enrolment.cohort, participants=[enrolment], starts_at=START, kind="entretien"
    )

    with at(client, enrolment.agent.user, DURING):
        client.post(url(interview), {"code": interview.attendance_code(DURING)})

    assert interview.attendances.get().status == "present"


def test_a_certified_sheet_takes_no_more_signatures(client, enrolment, session):
    leader = session.cohort.leaders.create(email="animatrice@exemple.gouv.fr")
    session.attendance_certified_at, session.attendance_certified_by = START, leader
    session.save()

    with at(client, enrolment.agent.user, DURING):
        response = client.post(url(session), {"code": session.attendance_code(DURING)}, follow=True)

    assert "La feuille d’émargement est certifiée" in response.text
    assert not Attendance.objects.exists()


def test_the_agent_portal_offers_to_sign_while_signing_is_open(client, enrolment, session):
    with at(client, enrolment.agent.user, START - datetime.timedelta(hours=1)):
        assert url(session) not in client.get(reverse("portals:agent")).text
    with at(client, enrolment.agent.user, DURING):
        assert url(session) in client.get(reverse("portals:agent")).text

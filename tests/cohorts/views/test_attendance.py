"""The leader's side of attendance: the grid, « Tous présents », the code shown in the
room, the certification and the attendance sheet."""

import datetime
import io
from contextlib import contextmanager

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from bpp.people.models import Role
from cohorts.services import sign_presence
from tests.clock import paris
from tests.cohorts.factories import EnrolmentFactory, SessionFactory
from tests.people.factories import RoleFactory

pytestmark = pytest.mark.django_db

START = paris(2027, 3, 30, 9, 30)
DURING = START + datetime.timedelta(minutes=10)
AFTER = START + datetime.timedelta(hours=4)


@pytest.fixture
def enrolments():
    first = EnrolmentFactory(
        request__agent__user__first_name="Anne", request__agent__user__last_name="Arnaud"
    )
    return [first] + [
        EnrolmentFactory(
            cohort=first.cohort,
            request__agent__user__first_name="Basile",
            request__agent__user__last_name=f"Bernard{n}",
        )
        for n in range(2)
    ]


@pytest.fixture
def leader(client, enrolments):
    user = RoleFactory(
        role=Role.CMC,
        organisation=enrolments[0].cohort.organisation,
        user__first_name="Claire",
        user__last_name="Conseil",
    ).user
    enrolments[0].cohort.leaders.add(user)
    client.force_login(user)
    return user


@pytest.fixture
def session(enrolments):
    return SessionFactory(cohort=enrolments[0].cohort, participants=enrolments, starts_at=START)


@contextmanager
def at(client, user, instant):
    """At `instant`, with `user` signed in again (their session would have expired)."""
    with time_machine.travel(instant, tick=False):
        client.force_login(user)
        yield


def statuses(session) -> dict[str, str]:
    return {
        a.enrolment.agent.user.last_name: a.status
        for a in session.attendances.select_related("enrolment__agent__user")
    }


def test_the_grid_has_one_column_per_status_and_one_row_per_agent(
    client, leader, session, enrolments
):
    response = client.get(reverse("cohorts:attendance", args=[session.pk]))

    for label in ("Présent", "Absent excusé", "Absent", "Parti en cours de séance"):
        assert f'<th scope="col" class="bpp-attendance__choice">{label}</th>' in response.text
    assert response.text.count('type="radio"') == 3 * 4
    assert f"{enrolments[0].agent} : absent excusé</label>" in response.text


def test_the_leader_records_a_few_and_leaves_the_others(client, leader, session, enrolments):
    client.post(
        reverse("cohorts:attendance", args=[session.pk]),
        {f"presence_{enrolments[0].pk}": "excuse", f"presence_{enrolments[1].pk}": "parti"},
    )

    assert statuses(session) == {"Arnaud": "excuse", "Bernard0": "parti"}
    attendance = session.attendances.get(enrolment=enrolments[0])
    assert (attendance.method, attendance.recorded_by) == ("animateur", leader)


def test_all_present_marks_present_everyone_not_recorded_otherwise(
    client, leader, session, enrolments
):
    client.post(
        reverse("cohorts:attendance", args=[session.pk]),
        {f"presence_{enrolments[0].pk}": "excuse", "tous_presents": ""},
    )

    assert statuses(session) == {"Arnaud": "excuse", "Bernard0": "present", "Bernard1": "present"}


def test_the_grid_shows_who_signed_and_keeps_their_signature(client, leader, session, enrolments):
    with at(client, leader, DURING):
        sign_presence(
            session=session,
            enrolment=enrolments[0],
            method="code",
            code=session.attendance_code(DURING),
        )
        page = client.get(reverse("cohorts:attendance", args=[session.pk]))
        client.post(reverse("cohorts:attendance", args=[session.pk]), {"tous_presents": ""})

    assert "Signé avec le code à 09:40" in page.text
    signed = session.attendances.get(enrolment=enrolments[0])
    assert (signed.method, signed.signed_at, signed.recorded_by) == (
        "code",
        DURING,
        enrolments[0].agent.user,
    )


def test_the_leader_marks_a_signed_agent_who_left_early(client, leader, session, enrolments):
    with at(client, leader, DURING):
        sign_presence(
            session=session,
            enrolment=enrolments[0],
            method="code",
            code=session.attendance_code(DURING),
        )
        client.post(
            reverse("cohorts:attendance", args=[session.pk]),
            {f"presence_{enrolments[0].pk}": "parti"},
        )
        page = client.get(reverse("cohorts:attendance", args=[session.pk]))

    attendance = session.attendances.get(enrolment=enrolments[0])
    assert (attendance.status, attendance.method, attendance.recorded_by) == (
        "parti",
        "code",
        leader,
    )
    assert "parti en cours de séance, relevé par Claire Conseil" in page.text


def test_the_code_page_shows_the_code_and_its_qr_code_while_signing_is_open(
    client, leader, session
):
    url = reverse("cohorts:attendance_code", args=[session.pk])
    with at(client, leader, START - datetime.timedelta(minutes=30)):
        before = client.get(url)
    with at(client, leader, DURING):
        during = client.get(url)
        fragment = client.get(url, {"fragment": "code"})

    assert "Le code s’affiche de mardi 30 mars 2027 à 09:15" in before.text
    code = session.attendance_code(DURING)
    assert f"{code[:3]} {code[3:]}" in during.text
    assert "<svg" in during.text and 'role="img"' in during.text
    assert 'data-expires-in="30"' in during.text
    assert "attendance-code.js" in during.text
    assert "<html" not in fragment.text and f"{code[:3]} {code[3:]}" in fragment.text


def test_certifying_needs_every_presence_then_freezes_the_sheet(
    client, leader, session, enrolments
):
    url = reverse("cohorts:certify_attendance", args=[session.pk])
    with at(client, leader, AFTER):
        assert "3 participants sans présence relevée" in client.get(url).text
        client.post(url)
        session.refresh_from_db()
        assert not session.is_attendance_certified

        client.post(reverse("cohorts:attendance", args=[session.pk]), {"tous_presents": ""})
        assert "La certification est définitive" in client.get(url).text
        client.post(url)
        response = client.post(
            reverse("cohorts:attendance", args=[session.pk]),
            {f"presence_{enrolments[0].pk}": "absent"},
            follow=True,
        )

    session.refresh_from_db()
    assert (session.attendance_certified_at, session.attendance_certified_by) == (AFTER, leader)
    assert "elle ne change plus" in response.text
    assert statuses(session)["Arnaud"] == "present"


def test_a_session_is_certified_only_once_it_has_begun(client, leader, session):
    with at(client, leader, START - datetime.timedelta(minutes=1)):
        client.post(reverse("cohorts:attendance", args=[session.pk]), {"tous_presents": ""})
        response = client.post(
            reverse("cohorts:certify_attendance", args=[session.pk]), follow=True
        )

    assert "La séance n’a pas commencé" in response.text
    session.refresh_from_db()
    assert not session.is_attendance_certified


def test_only_a_leader_certifies(client, session):
    hr = RoleFactory(role=Role.HR, organisation=session.cohort.organisation).user
    client.force_login(hr)

    assert client.get(reverse("cohorts:attendance", args=[session.pk])).status_code == 200
    assert client.get(reverse("cohorts:certify_attendance", args=[session.pk])).status_code == 403


def pdf_text(response) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_the_sheet_says_how_each_presence_is_known_and_who_certified_it(
    client, leader, session, enrolments
):
    remote = SessionFactory(
        cohort=session.cohort,
        participants=enrolments,
        starts_at=START,
        video_link="https://visio.exemple.gouv.fr/bpp",
    )
    with at(client, leader, DURING):
        sign_presence(
            session=remote,
            enrolment=enrolments[0],
            method="code",
            code=remote.attendance_code(DURING),
        )
        sign_presence(session=remote, enrolment=enrolments[1], method="distance")
        client.post(
            reverse("cohorts:attendance", args=[remote.pk]),
            {f"presence_{enrolments[2].pk}": "excuse"},
        )
    with at(client, leader, AFTER):
        client.post(reverse("cohorts:certify_attendance", args=[remote.pk]))
        text = pdf_text(client.get(reverse("cohorts:attendance_sheet", args=[remote.pk])))

    assert session.cohort.organisation.name in text
    assert "Signé avec le code à 09:40" in text
    assert "Confirmé à distance à 09:40" in text
    assert "Absent excusé" in text and "Relevé par Claire Conseil" in text
    assert "Je soussigné(e), Claire Conseil" in text
    assert "Certifiée le mardi 30 mars 2027 à 13:30" in text


def test_an_uncertified_sheet_keeps_room_for_signatures(client, leader, session):
    text = pdf_text(client.get(reverse("cohorts:attendance_sheet", args=[session.pk])))

    assert "Non relevé" in text
    assert "Émargement non certifié à ce jour" in text


def test_the_grid_runs_a_bounded_number_of_queries(
    client, leader, session, django_assert_max_num_queries
):
    for _ in range(9):
        session.participants.add(EnrolmentFactory(cohort=session.cohort))
    client.post(reverse("cohorts:attendance", args=[session.pk]), {"tous_presents": ""})

    with django_assert_max_num_queries(12):
        client.get(reverse("cohorts:attendance", args=[session.pk]))

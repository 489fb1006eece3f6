import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from bpp.people.models import Role
from cohorts.models import Attendance, Session
from tests.cohorts.factories import EnrolmentFactory, SessionFactory
from tests.people.factories import RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolment():
    return EnrolmentFactory()


@pytest.fixture
def cmc(client, enrolment):
    user = RoleFactory(role=Role.CMC, organisation=enrolment.cohort.organisation).user
    client.force_login(user)
    return user


def session_data(enrolment, **overrides):
    return {
        "phase": 2,
        "kind": "collective",
        "title": "Mes valeurs professionnelles",
        "starts_at": "2027-03-30T09:30",  # just after the change to summer time (29: Easter Monday)
        "duration_minutes": 180,
        "place": "Tour Séquoia, salle 12",
        "video_link": "",
        "participants": [enrolment.pk],
    } | overrides


def events(ics: str | bytes):
    return Calendar.from_ical(ics).walk("VEVENT")


def test_scheduling_convokes_the_participants_with_a_calendar_file(
    client, cmc, enrolment, django_tasks
):
    client.post(
        reverse("cohorts:session_create", args=[enrolment.cohort.pk]), session_data(enrolment)
    )

    session = Session.objects.get()
    assert session.starts_at == datetime.datetime(2027, 3, 30, 7, 30, tzinfo=datetime.UTC)
    [mail] = django_tasks.emails()
    assert mail["to"] == [enrolment.agent.user.email]
    assert "mardi 30 mars 2027" in mail["text"] and "de 09:30 à 12:30" in mail["text"]
    [(filename, content, mimetype)] = mail["attachments"]
    assert (filename, mimetype) == ("seance.ics", "text/calendar")
    [event] = events(content)
    assert event["UID"] == f"{session.uid}@bilans-parcours"
    assert event.decoded("DTSTART") == session.starts_at


def test_moving_a_session_updates_the_same_calendar_event(client, cmc, enrolment, django_tasks):
    session = SessionFactory(cohort=enrolment.cohort, participants=[enrolment])

    client.post(
        reverse("cohorts:session_edit", args=[session.pk]),
        session_data(enrolment, starts_at="2027-04-02T14:00"),
    )

    [mail] = django_tasks.emails()
    [event] = events(mail["attachments"][0][1])
    assert event["UID"] == f"{session.uid}@bilans-parcours"
    assert event["SEQUENCE"] == 1
    assert "Séance déplacée" in mail["subject"]


def test_cancelling_asks_first_then_removes_the_event(client, cmc, enrolment, django_tasks):
    session = SessionFactory(cohort=enrolment.cohort, participants=[enrolment])
    url = reverse("cohorts:session_cancel", args=[session.pk])

    assert "L’annulation est définitive" in client.get(url).text
    client.post(url)

    session.refresh_from_db()
    assert session.cancelled_at is not None
    [mail] = django_tasks.emails()
    calendar = Calendar.from_ical(mail["attachments"][0][1])
    assert calendar["METHOD"] == "CANCEL"
    assert events(mail["attachments"][0][1])[0]["STATUS"] == "CANCELLED"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"place": "", "video_link": ""}, "un lieu ou un lien"),
        ({"duration_minutes": 600}, "de 15 minutes à 8 heures"),
        ({"starts_at": "demain"}, "Saisissez une date et une heure valides"),
    ],
)
def test_bad_sessions_are_refused_in_french(client, cmc, enrolment, overrides, message):
    response = client.post(
        reverse("cohorts:session_create", args=[enrolment.cohort.pk]),
        session_data(enrolment, **overrides),
    )

    assert message in response.text
    assert not Session.objects.exists()


def test_the_session_form_schedules_collective_sessions_for_everyone(client, cmc, enrolment):
    other = EnrolmentFactory(cohort=enrolment.cohort)
    url = reverse("cohorts:session_create", args=[enrolment.cohort.pk])

    page = client.get(url)
    refused = client.post(
        url, session_data(enrolment, kind="entretien", participants=[enrolment.pk, other.pk])
    )
    client.post(url, session_data(enrolment, participants=[enrolment.pk, other.pk]))

    assert page.text.count("checked") == 2  # every agent of the cohort, a priori
    assert reverse("cohorts:interviews_create", args=[enrolment.cohort.pk]) in page.text
    assert "Sélectionnez un choix valide" in refused.text  # interviews have their own form
    session = Session.objects.get()
    assert session.kind == "collective"
    assert session.participants.count() == 2


def test_an_interview_still_has_one_participant_when_moved(client, cmc, enrolment):
    other = EnrolmentFactory(cohort=enrolment.cohort)
    interview = SessionFactory(cohort=enrolment.cohort, participants=[enrolment], kind="entretien")

    response = client.post(
        reverse("cohorts:session_edit", args=[interview.pk]),
        session_data(enrolment, kind="entretien", participants=[enrolment.pk, other.pk]),
    )

    assert "Un entretien individuel réunit un seul agent" in response.text


def test_the_leader_records_attendance(client, cmc, enrolment):
    session = SessionFactory(cohort=enrolment.cohort, participants=[enrolment])

    client.post(
        reverse("cohorts:attendance", args=[session.pk]), {f"presence_{enrolment.pk}": "excuse"}
    )

    attendance = Attendance.objects.get()
    assert (attendance.status, attendance.method, attendance.recorded_by) == (
        "excuse",
        "animateur",
        cmc,
    )


def test_the_attendance_sheet_is_a_pdf(client, cmc, enrolment):
    session = SessionFactory(cohort=enrolment.cohort, participants=[enrolment])

    response = client.get(reverse("cohorts:attendance_sheet", args=[session.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_agent_downloads_their_calendar(client, enrolment):
    enrolment.sign_contract(version="2026-01")
    SessionFactory(cohort=enrolment.cohort, participants=[enrolment], title="Séance A")
    SessionFactory(cohort=enrolment.cohort, participants=[enrolment], title="Séance B")
    client.force_login(enrolment.agent.user)

    response = client.get(reverse("cohorts:my_calendar"))

    assert response["Content-Type"].startswith("text/calendar")
    assert len(events(response.content)) == 2


def test_another_agent_cannot_download_a_session(client, enrolment):
    session = SessionFactory(cohort=enrolment.cohort, participants=[enrolment])
    client.force_login(EnrolmentFactory().agent.user)

    assert client.get(reverse("cohorts:session_ics", args=[session.pk])).status_code == 404


def test_the_agent_portal_lists_the_sessions_with_calendar_links(client, enrolment):
    enrolment.sign_contract(version="2026-01")
    session = SessionFactory(cohort=enrolment.cohort, participants=[enrolment], title="Séance A")
    client.force_login(enrolment.agent.user)

    response = client.get(reverse("portals:agent"))

    assert "Séance A" in response.text
    assert reverse("cohorts:session_ics", args=[session.pk]) in response.text


def test_phase_2_sessions_open_to_the_agent_only_once_the_contract_is_signed(client, enrolment):
    launch = SessionFactory(
        cohort=enrolment.cohort, participants=[enrolment], phase=1, title="Lancement"
    )
    analysis = SessionFactory(
        cohort=enrolment.cohort, participants=[enrolment], phase=2, title="Analyse"
    )
    client.force_login(enrolment.agent.user)

    assert "Analyse" not in client.get(reverse("portals:agent")).text
    assert client.get(reverse("cohorts:session_ics", args=[analysis.pk])).status_code == 404
    assert client.get(reverse("cohorts:session_ics", args=[launch.pk])).status_code == 200
    assert len(events(client.get(reverse("cohorts:my_calendar")).content)) == 1

    enrolment.sign_contract(version="2026-01")

    assert "Analyse" in client.get(reverse("portals:agent")).text
    assert client.get(reverse("cohorts:session_ics", args=[analysis.pk])).status_code == 200

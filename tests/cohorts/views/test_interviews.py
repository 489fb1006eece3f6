"""A series of individual interviews: one per agent ticked, none ticked at first."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from bpp.people.models import Role
from bpp.templatetags.french import elide
from cohorts.models import Session
from tests.cohorts.factories import EnrolmentFactory
from tests.people.factories import RoleFactory

pytestmark = pytest.mark.django_db

PARIS_OFFSET = datetime.timedelta(hours=2)  # summer time, on 30 March 2027


@pytest.fixture
def enrolments():
    first = EnrolmentFactory(request__agent__user__last_name="Arnaud")
    return [first] + [
        EnrolmentFactory(cohort=first.cohort, request__agent__user__last_name=name)
        for name in ("Bernard", "Colin")
    ]


@pytest.fixture
def cohort(client, enrolments):
    cohort = enrolments[0].cohort
    client.force_login(RoleFactory(role=Role.CMC, organisation=cohort.organisation).user)
    return cohort


def series(enrolments, **overrides):
    return {
        "kind": "entretien_initial",
        "phase": 1,
        "title": "Entretien initial",
        "starts_at": "2027-03-30T14:00",
        "duration_minutes": 60,
        "break_minutes": 15,
        "place": "Tour Séquoia, bureau 4",
        "video_link": "",
        "participants": [e.pk for e in enrolments],
    } | overrides


def url(cohort):
    return reverse("cohorts:interviews_create", args=[cohort.pk])


def test_no_agent_is_ticked_at_first(client, cohort):
    page = client.get(url(cohort))

    assert page.status_code == 200
    assert "checked" not in page.text


def test_each_agent_ticked_gets_their_own_interview_one_after_the_other(
    client, cohort, enrolments, django_tasks
):
    response = client.post(url(cohort), series([enrolments[2], enrolments[0]]), follow=True)

    assert "2 entretiens programmés" in response.text
    interviews = list(Session.objects.order_by("starts_at"))
    assert [list(s.participants.all()) for s in interviews] == [[enrolments[0]], [enrolments[2]]]
    assert [s.starts_at for s in interviews] == [
        datetime.datetime(2027, 3, 30, 14, tzinfo=datetime.UTC) - PARIS_OFFSET,
        datetime.datetime(2027, 3, 30, 15, 15, tzinfo=datetime.UTC) - PARIS_OFFSET,
    ]
    assert {s.kind for s in interviews} == {"entretien_initial"}
    mails = django_tasks.emails()
    assert [m["to"] for m in mails] == [
        [enrolments[0].agent.user.email],
        [enrolments[2].agent.user.email],
    ]
    [event] = Calendar.from_ical(mails[1]["attachments"][0][1]).walk("VEVENT")
    assert event.decoded("DTSTART") == interviews[1].starts_at


def test_a_series_running_past_working_hours_is_refused_naming_the_agent(
    client, cohort, enrolments
):
    response = client.post(url(cohort), series(enrolments, starts_at="2027-03-30T16:30"))

    agent = elide("de", enrolments[2].agent)
    assert f"L’entretien {agent}, le 30 mars à 19 h 00" in response.text
    assert "entre 8 h et 19 h" in response.text
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kind": "entretien_initial", "phase": 2}, "phase 1, le lancement"),
        ({"kind": "entretien_final", "phase": 3}, "phase 4, la conclusion"),
        ({"place": "", "video_link": ""}, "un lieu ou un lien"),
        ({"participants": []}, "Cochez au moins un agent"),
        ({"kind": "collective"}, "Sélectionnez un choix valide"),
        ({"starts_at": "2027-03-29T10:00"}, "jour férié (Lundi de Pâques)"),
    ],
)
def test_bad_series_are_refused_in_french(client, cohort, enrolments, overrides, message):
    response = client.post(url(cohort), series(enrolments, **overrides))

    assert message in response.text
    assert not Session.objects.exists()


def test_an_agent_of_another_cohort_cannot_be_ticked(client, cohort, enrolments):
    stranger = EnrolmentFactory()

    response = client.post(url(cohort), series([enrolments[0]]) | {"participants": [stranger.pk]})

    assert "Sélectionnez un choix valide" in response.text
    assert not Session.objects.exists()

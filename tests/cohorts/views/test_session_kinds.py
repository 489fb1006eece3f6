"""The kinds of session the guide names: the information webinar (phase 1), the
restitution to the group (phase 3), each in its phase, named in the convocation."""

import pytest
from django.db import IntegrityError
from django.urls import reverse
from icalendar import Calendar

from bpp.people.models import Role
from cohorts.models import Session, SessionKind
from tests.cohorts.factories import EnrolmentFactory, SessionFactory
from tests.cohorts.views.test_sessions import session_data
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


def test_the_restitution_is_convoked_under_its_name(client, cmc, enrolment, django_tasks):
    client.post(
        reverse("cohorts:session_create", args=[enrolment.cohort.pk]),
        session_data(enrolment, phase=3, kind="restitution", title="Nos plans d’action"),
    )

    session = Session.objects.get()
    assert session.kind == SessionKind.RESTITUTION and not session.is_individual
    [mail] = django_tasks.emails()
    assert "Restitution au collectif — Nos plans d’action" in mail["text"]
    [event] = Calendar.from_ical(mail["attachments"][0][1]).walk("VEVENT")
    assert "Restitution au collectif, phase 3" in str(event["DESCRIPTION"])


def test_the_restitution_belongs_to_phase_3(client, cmc, enrolment):
    response = client.post(
        reverse("cohorts:session_create", args=[enrolment.cohort.pk]),
        session_data(enrolment, phase=2, kind="restitution"),
    )

    assert "La restitution au collectif a lieu pendant la phase 3" in response.text
    assert not Session.objects.exists()


def test_a_webinar_is_in_phase_1_and_has_a_link(client, cmc, enrolment):
    url = reverse("cohorts:session_create", args=[enrolment.cohort.pk])

    response = client.post(url, session_data(enrolment, phase=1, kind="webinaire"))
    assert "Un webinaire se suit à distance : indiquez son lien." in response.text

    client.post(
        url,
        session_data(
            enrolment, phase=1, kind="webinaire", place="", video_link="https://visio.gouv.fr/x"
        ),
    )
    webinar = Session.objects.get()
    assert webinar.kind == SessionKind.WEBINAR and webinar.allows_remote_confirmation


def test_a_new_session_is_collective_unless_said_otherwise(client, cmc, enrolment):
    data = session_data(enrolment)
    del data["kind"]

    client.post(reverse("cohorts:session_create", args=[enrolment.cohort.pk]), data)

    assert Session.objects.get().kind == SessionKind.COLLECTIVE


def test_the_database_keeps_each_kind_in_its_phase():
    with pytest.raises(IntegrityError):
        SessionFactory(kind=SessionKind.RESTITUTION, phase=4)


def test_the_support_interview_is_not_offered_in_the_interview_series(client, cmc, enrolment):
    response = client.get(reverse("cohorts:interviews_create", args=[enrolment.cohort.pk]))

    assert "Entretien d’appui" not in response.text

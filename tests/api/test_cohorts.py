"""GET /api/v1/cohorts, /enrolments and /sessions: the offer, who is placed, who came."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Attendance, Phase
from tests.clock import paris
from tests.cohorts.factories import CohortFactory, EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db


def read(client, headers, name: str, **params) -> dict:
    response = client.get(reverse(f"api:{name}"), params, headers=headers)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_cohort_gives_its_phases_and_places(client, world, headers):
    (row,) = read(client, headers, "cohorts")["items"]

    assert row["id"] == world.cohort.pk
    assert (row["capacity"], row["seats_taken"]) == (12, 1)
    assert row["current_phase"] is None and row["published"] is True
    assert [p["number"] for p in row["phases"]] == [1, 2, 3, 4]
    assert row["phases"][0] == {
        "number": Phase.LAUNCH,
        "label": "Lancement",
        "starts_on": "2027-01-11",
        "ends_on": "2027-01-25",
        "completed_at": None,
    }
    assert "confidentiality_rules" not in row


def test_the_year_filter_reads_the_start_of_phase_1(client, world, headers):
    of_2026 = CohortFactory(organisation=world.organisation, phases=datetime.date(2026, 9, 7))

    assert [c["id"] for c in read(client, headers, "cohorts", year=2026)["items"]] == [of_2026.pk]
    assert [c["id"] for c in read(client, headers, "cohorts", year=2027)["items"]] == [
        world.cohort.pk
    ]


def test_enrolments_name_the_agent_and_the_request(client, world, headers):
    (row,) = read(client, headers, "enrolments")["items"]

    assert row["cohort_id"] == world.cohort.pk
    assert row["request_id"] == world.enrolment.request_id
    assert row["agent_email"] == world.enrolment.agent.user.email
    assert row["withdrawn_at"] is None and row["contract_signed_at"] is None
    assert read(client, headers, "enrolments", cohort=world.cohort.pk + 1)["items"] == []


def test_sessions_count_each_attendance_status(client, world, headers):
    others = [EnrolmentFactory(cohort=world.cohort) for _ in range(3)]
    world.session.participants.add(*others)
    for enrolment, status in zip(
        [world.enrolment, *others[:2]],
        [Attendance.Status.PRESENT, Attendance.Status.PRESENT, Attendance.Status.EXCUSED],
        strict=True,
    ):
        Attendance.objects.create(session=world.session, enrolment=enrolment, status=status)

    (row,) = read(client, headers, "sessions")["items"]

    assert row["participants"] == 4
    assert row["attendance"] == {
        "present": 2,
        "excused": 1,
        "absent": 0,
        "left_early": 0,
        "not_recorded": 1,
    }


def test_the_session_year_is_the_year_in_paris(client, world, headers):
    new_year = SessionFactory(cohort=world.cohort, starts_at=paris(2027, 1, 1, 0, 30))

    rows = read(client, headers, "sessions", year=2027, cohort=world.cohort.pk)["items"]

    assert new_year.pk in [r["id"] for r in rows]
    assert new_year.pk not in [
        r["id"] for r in read(client, headers, "sessions", year=2026)["items"]
    ]


@pytest.mark.parametrize("name", ["cohorts", "enrolments", "sessions"])
def test_the_queries_do_not_grow_with_the_page(client, world, headers, name):
    for _ in range(6):
        cohort = CohortFactory(organisation=world.organisation)
        enrolment = EnrolmentFactory(cohort=cohort)
        session = SessionFactory(cohort=cohort, participants=[enrolment])
        Attendance.objects.create(
            session=session, enrolment=enrolment, status="present", recorded_at=timezone.now()
        )
    client.get(reverse(f"api:{name}"), headers=headers)  # notes the token's use, once

    counts = []
    for limit in (1, 7):
        with CaptureQueriesContext(connection) as queries:
            assert len(read(client, headers, name, limit=limit)["items"]) == limit
        counts.append(len(queries))

    assert counts[0] == counts[1] <= 3

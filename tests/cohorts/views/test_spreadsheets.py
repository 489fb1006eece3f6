"""The queue and the cohorts with their attendance as XLSX workbooks, read back."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bpp.people.models import Role
from cohorts.models import Attendance
from cohorts.spreadsheets import (
    ATTENDANCE_COLUMNS,
    ATTENDANCE_COLUMNS_VERSION,
    QUEUE_COLUMNS,
    QUEUE_COLUMNS_VERSION,
)
from tests.cohorts.factories import CohortFactory, EnrolmentFactory, SessionFactory
from tests.people.factories import AgentFactory, RoleFactory
from tests.requests.factories import ReviewRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr(client):
    user = RoleFactory(role=Role.HR).user
    client.force_login(user)
    return user


def workbook(response):
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return book, [list(row) for row in book.active.iter_rows(values_only=True)]


def test_the_queue_columns_are_pinned():
    # Spreadsheets built on these exports read columns by letter: a new column goes at
    # the end, with a new version; none is moved, renamed or removed.
    assert QUEUE_COLUMNS_VERSION == 1
    assert QUEUE_COLUMNS == [
        "Rang",
        "Employeur",
        "Agent",
        "Service",
        "Public prioritaire",
        "De droit (restructuration)",
        "Acceptée (ou reportée) le",
        "Fin du report",
        "Modalité souhaitée",
        "Département",
        "Promotion la plus proche qui convient",
        "Début de cette promotion",
    ]
    assert ATTENDANCE_COLUMNS_VERSION == 1
    assert ATTENDANCE_COLUMNS == [
        "Employeur",
        "Promotion",
        "Modalité",
        "Agent",
        "Service",
        "Inscrit le",
        "Retiré le",
        "Séance",
        "Type de séance",
        "Date de la séance",
        "Présence",
    ]


def test_hr_takes_the_queue_as_xlsx_without_the_ground_of_priority(client, hr):
    organisation = hr.role_assignments.get().organisation
    profile = AgentFactory(
        organisation=organisation,
        service__organisation=organisation,
        l5212_13=True,
        user__first_name="Inès",
        user__last_name="Prioritaire",
    )
    decided = datetime.datetime(2026, 10, 1, 12, tzinfo=datetime.UTC)
    ReviewRequestFactory(agent=profile, approved=True, decided_at=decided)

    book, rows = workbook(client.get(reverse("cohorts:queue_xlsx")))

    assert rows[0] == QUEUE_COLUMNS
    assert rows[1][:5] == [1, organisation.name, "Inès Prioritaire", profile.service.name, "oui"]
    assert rows[1][6] == datetime.datetime(2026, 10, 1)  # a date cell
    assert book.properties.version == "1"
    assert "L5212" not in str(rows)


def test_the_cohorts_come_with_each_participants_attendance(client, hr):
    organisation = hr.role_assignments.get().organisation
    cohort = CohortFactory(organisation=organisation, title="Promotion d’automne")
    enrolment = EnrolmentFactory(cohort=cohort, request__agent__user__last_name="Durand")
    first = SessionFactory(cohort=cohort, participants=[enrolment], title="Séance 1")
    SessionFactory(
        cohort=cohort,
        participants=[enrolment],
        title="Séance 2",
        starts_at=first.starts_at + datetime.timedelta(days=7),
    )
    Attendance.objects.create(session=first, enrolment=enrolment, status=Attendance.Status.PRESENT)
    CohortFactory()  # another employer's, not in the file
    EnrolmentFactory()

    _, rows = workbook(client.get(reverse("cohorts:attendance_xlsx")))

    assert rows[0] == ATTENDANCE_COLUMNS
    assert [(r[1], r[7], r[10]) for r in rows[1:]] == [
        ("Promotion d’automne", "Séance 1", "Présent"),
        ("Promotion d’automne", "Séance 2", "Non relevée"),
    ]
    assert "Durand" in rows[1][3]


def test_an_agent_gets_no_spreadsheet(client):
    client.force_login(AgentFactory().user)
    assert client.get(reverse("cohorts:queue_xlsx")).status_code == 403
    assert client.get(reverse("cohorts:attendance_xlsx")).status_code == 403

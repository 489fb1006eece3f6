"""The leaders' week view: every session and interview of their cohorts, day by day."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bpp.people.models import Role
from tests.clock import paris
from tests.cohorts.factories import CohortFactory, EnrolmentFactory, SessionFactory
from tests.people.factories import RoleFactory

pytestmark = pytest.mark.django_db

URL = reverse("cohorts:agenda")


@pytest.fixture
def wednesday():
    """Wednesday 13 January 2027, from the sign-in on (a session expires)."""
    with time_machine.travel(paris(2027, 1, 13, 15), tick=False):
        yield


@pytest.fixture
def cmc(wednesday, client):
    user = RoleFactory(role=Role.CMC).user
    client.force_login(user)
    return user


def led_cohort(leader, **kwargs):
    cohort = CohortFactory(**kwargs)
    cohort.leaders.add(leader)
    return cohort


def agenda(client, week: str | None = None) -> str:
    response = client.get(URL, {"semaine": week} if week else {})
    assert response.status_code == 200
    return response.text


def test_it_shows_this_week_s_sessions_of_every_cohort_i_lead_day_by_day(client, cmc):
    winter, spring = led_cohort(cmc, title="Promotion d’hiver"), led_cohort(cmc, title="Printemps")
    SessionFactory(cohort=winter, title="Lancement", starts_at=paris(2027, 1, 11, 9, 30))
    SessionFactory(cohort=spring, title="Mes valeurs", starts_at=paris(2027, 1, 13, 14))
    SessionFactory(cohort=winter, title="La semaine d’après", starts_at=paris(2027, 1, 18, 9))
    SessionFactory(cohort=CohortFactory(), title="Pas la mienne", starts_at=paris(2027, 1, 12))

    page = agenda(client)

    assert "du 11 au 17 janvier 2027" in page
    monday, tuesday, wednesday = (page.index(d) for d in ("Lundi 11", "Mardi 12", "Mercredi 13"))
    assert monday < page.index("09:30–12:30</strong> — Lancement") < tuesday
    assert wednesday < page.index("Mes valeurs") and "Printemps" in page
    assert "La semaine d’après" not in page and "Pas la mienne" not in page
    assert "Samedi" not in page  # an empty weekend is left out


def test_an_interview_names_its_agent_and_a_cancelled_session_says_so(client, cmc):
    cohort = led_cohort(cmc)
    enrolment = EnrolmentFactory(cohort=cohort, request__agent__user__last_name="Dufresne")
    SessionFactory(
        cohort=cohort,
        kind="entretien",
        title="Point d’étape",
        starts_at=paris(2027, 1, 14, 10),
        participants=[enrolment],
    )
    SessionFactory(
        cohort=cohort,
        title="Séance annulée",
        starts_at=paris(2027, 1, 15, 10),
        cancelled_at=paris(2027, 1, 5),
    )

    page = agenda(client)

    assert "Entretien individuel avec" in page and "Dufresne" in page
    assert "annulée</span>" in page


def test_past_sessions_lead_to_the_attendance_and_coming_ones_can_be_moved(client, cmc):
    cohort = led_cohort(cmc)
    enrolment = EnrolmentFactory(cohort=cohort)
    past = SessionFactory(cohort=cohort, starts_at=paris(2027, 1, 11), participants=[enrolment])
    coming = SessionFactory(cohort=cohort, starts_at=paris(2027, 1, 15))

    page = agenda(client)

    assert reverse("cohorts:attendance", args=[past.pk]) in page and "(0/1)" in page
    assert reverse("cohorts:session_edit", args=[coming.pk]) in page
    assert reverse("cohorts:session_edit", args=[past.pk]) not in page


def test_it_goes_from_week_to_week(client, cmc):
    SessionFactory(cohort=led_cohort(cmc), title="En février", starts_at=paris(2027, 2, 3))

    page = agenda(client, "2027-W05")

    assert "du 1er au 7 février 2027" in page and "Lundi 1er février" in page
    assert "En février" in page
    assert "?semaine=2027-W04" in page and "?semaine=2027-W06" in page
    assert "Cette semaine" in page
    assert "Cette semaine" not in agenda(client)


def test_a_week_across_two_years(client, cmc):
    page = agenda(client, "2026-W53")

    assert "du 28 décembre 2026 au 3 janvier 2027" in page
    assert "?semaine=2026-W52" in page and "?semaine=2027-W01" in page


def test_the_week_ends_at_midnight_in_paris_when_the_clocks_change(client, cmc):
    # Summer time starts on Sunday 28 March 2027: that week lasts 167 hours.
    cohort = led_cohort(cmc)
    SessionFactory(cohort=cohort, title="Dimanche soir", starts_at=paris(2027, 3, 28, 23, 30))
    SessionFactory(cohort=cohort, title="Lundi à l’aube", starts_at=paris(2027, 3, 29, 0, 30))

    page = agenda(client, "2027-W12")

    assert "Dimanche 28 mars" in page and "Dimanche soir" in page
    assert "Lundi à l’aube" not in page


@pytest.mark.parametrize("week", ["2027-W54", "2027-W00", "9999-W01", "semaine", "2027-1", ""])
def test_a_week_that_does_not_exist_shows_this_week_with_a_message(client, cmc, week):
    page = agenda(client, week) if week else client.get(URL, {"semaine": ""}).text

    assert "Cette semaine n’existe pas" in page and "du 11 au 17 janvier 2027" in page


def test_a_provider_sees_the_cohorts_they_lead_until_their_access_ends(wednesday, client):
    consultant = RoleFactory(for_provider=True).user
    client.force_login(consultant)
    provider = consultant.role_assignments.get().provider
    running = led_cohort(consultant, provider=provider, title="En cours")
    ended = led_cohort(
        consultant, provider=provider, title="Terminée", concluded_at=paris(2026, 11, 1)
    )
    SessionFactory(cohort=running, title="Séance en cours", starts_at=paris(2027, 1, 12))
    SessionFactory(cohort=ended, title="Séance d’une promotion close", starts_at=paris(2027, 1, 12))

    page = agenda(client)

    assert "Séance en cours" in page and "Séance d’une promotion close" not in page


@pytest.mark.parametrize("role", [Role.HR, Role.HR_ADMIN, Role.MANAGER])
def test_it_is_for_those_who_lead_cohorts(wednesday, client, role):
    client.force_login(RoleFactory(role=role).user)

    assert client.get(URL).status_code == 403


def test_the_week_runs_the_same_queries_whatever_the_data(client, cmc):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            agenda(client)
        return len(captured)

    cohort = led_cohort(cmc)
    SessionFactory(cohort=cohort, starts_at=paris(2027, 1, 12))
    few = queries()
    for day in range(11, 16):
        other = led_cohort(cmc)
        enrolments = [EnrolmentFactory(cohort=other) for _ in range(2)]
        SessionFactory(cohort=other, starts_at=paris(2027, 1, day), participants=enrolments)
        SessionFactory(
            cohort=other,
            kind="entretien",
            starts_at=paris(2027, 1, day, 14),
            participants=enrolments[:1],
        )

    assert queries() == few <= 10

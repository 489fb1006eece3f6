"""The CMC's dashboard: what needs doing today, each item linking to where it is done."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bpp.people.models import Role
from synthesis.models import Capacity
from tests.clock import paris
from tests.cohorts.factories import CohortFactory, EnrolmentFactory, SessionFactory
from tests.people.factories import AgentFactory, RoleFactory
from tests.requests.factories import ReviewRequestFactory
from tests.synthesis.factories import SynthesisFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cmc(client):
    user = RoleFactory(role=Role.CMC).user
    client.force_login(user)
    return user


def led_cohort(cmc, **kwargs):
    cohort = CohortFactory(organisation=cmc.role_assignments.get().organisation, **kwargs)
    cohort.leaders.add(cmc)
    return cohort


def test_it_shows_my_cohorts_with_fill_and_next_session(client, cmc):
    cohort = led_cohort(cmc, title="Promotion d’hiver", seats_taken=9)
    session = SessionFactory(cohort=cohort)
    led_by_another = CohortFactory(organisation=cohort.organisation, title="Pas la mienne")

    page = client.get(reverse("portals:cmc")).text

    assert "Promotion d’hiver" in page and "9/12" in page
    assert f"{timezone.localtime(session.starts_at).day}" in page
    assert led_by_another.title not in page


def test_it_lists_the_waiting_agents_priority_first_with_a_suggestion(client, cmc):
    organisation = cmc.role_assignments.get().organisation
    led_cohort(cmc, title="Promotion ouverte")
    for category, name in [("A", "Ordinaire"), ("C", "Prioritaire")]:
        ReviewRequestFactory(
            approved=True,
            agent=AgentFactory(
                organisation=organisation,
                service__organisation=organisation,
                category=category,
                holds_level4_diploma=False,
                user__last_name=name,
            ),
        )

    page = client.get(reverse("portals:cmc")).text

    assert page.index("Prioritaire") < page.index("Ordinaire")
    assert "la plus proche : Promotion ouverte" in page


@pytest.fixture
def wednesday():
    """A Wednesday afternoon, from the sign-in on (a session expires)."""
    with time_machine.travel(paris(2026, 12, 2, 15), tick=False):
        yield


def test_it_lists_this_week_s_sessions_whose_attendance_is_missing(wednesday, client, cmc):
    cohort = led_cohort(cmc)
    enrolment = EnrolmentFactory(cohort=cohort)
    SessionFactory(
        cohort=cohort,
        title="Séance passée",
        starts_at=paris(2026, 11, 30, 0, 5),  # that week's Monday
        participants=[enrolment],
    )
    SessionFactory(cohort=cohort, title="Séance à venir", participants=[enrolment])

    page = client.get(reverse("portals:cmc")).text

    assert "Séance passée" in page and "0/1 présence relevée" in page
    assert "Séance à venir" not in page.split("à émarger")[1].split("</section>")[0]


def test_it_shows_the_syntheses_awaiting_my_signature(client, cmc):
    cohort = led_cohort(cmc)
    synthesis = SynthesisFactory(enrolment=EnrolmentFactory(cohort=cohort), finalised=True)
    synthesis.sign(by=synthesis.enrolment.agent.user, capacity=Capacity.AGENT)

    page = client.get(reverse("portals:cmc")).text

    assert reverse("synthesis:sign", args=[synthesis.pk]) in page


def test_it_raises_the_alerts(client, cmc):
    today = timezone.localdate()
    small = led_cohort(cmc, title="Trop petite", phases=today + datetime.timedelta(days=10))
    later = led_cohort(cmc, title="Plus tard", phases=today + datetime.timedelta(days=30))
    SessionFactory(cohort=small, title="Sans lieu", place="", video_link="https://visio.gouv.fr/x")
    EnrolmentFactory(cohort=small)

    page = client.get(reverse("portals:cmc")).text

    assert "Trop petite</a> démarre" in page
    assert "Plus tard</a> démarre" not in page and later.seats_taken == 0
    assert "Sans lieu" in page and "n’a pas encore son lieu" in page
    assert "n’a pas signé le contrat" in page


def test_an_empty_dashboard_says_what_to_do(client, cmc):
    page = client.get(reverse("portals:cmc")).text

    assert "Créer une promotion" in page and "Personne n’attend de place" in page


def test_the_dashboard_runs_the_same_queries_whatever_the_data(client, cmc):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("portals:cmc")).status_code == 200
        return len(captured)

    cohort = led_cohort(cmc)
    EnrolmentFactory(cohort=cohort)
    few = queries()
    for _ in range(5):
        other = led_cohort(cmc)
        SessionFactory(cohort=other, participants=[EnrolmentFactory(cohort=other)])
        SynthesisFactory(enrolment=EnrolmentFactory(cohort=other), finalised=True)

    assert queries() == few <= 20

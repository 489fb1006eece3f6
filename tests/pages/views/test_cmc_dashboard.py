"""The CMC's dashboard: what needs doing today, each item linking to where it is done."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bpp.people.models import Role
from synthesis.models import Capacity, SupportRequest
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


def test_it_lists_the_sessions_of_the_last_30_days_whose_attendance_is_missing(
    wednesday, client, cmc
):
    cohort = led_cohort(cmc)
    enrolment = EnrolmentFactory(cohort=cohort)
    for title, starts_at in [
        ("Il y a 30 jours", paris(2026, 11, 2, 15, 5)),
        ("Il y a 31 jours", paris(2026, 11, 1, 15)),
        ("Ce matin", paris(2026, 12, 2, 9)),
        ("Séance à venir", paris(2026, 12, 4, 9)),
    ]:
        SessionFactory(cohort=cohort, title=title, starts_at=starts_at, participants=[enrolment])

    section = client.get(reverse("portals:cmc")).text.split("à émarger")[1].split("</section>")[0]

    assert "Il y a 30 jours" in section and "lundi 2 novembre" in section
    assert "Ce matin" in section and "0/1 présence relevée" in section
    assert "Il y a 31 jours" not in section and "Séance à venir" not in section


def test_a_concluded_cohort_s_missing_attendance_still_shows(wednesday, client, cmc):
    cohort = led_cohort(cmc, concluded_at=paris(2026, 11, 20))
    SessionFactory(
        cohort=cohort,
        title="Entretien final",
        starts_at=paris(2026, 11, 18),
        participants=[EnrolmentFactory(cohort=cohort)],
    )

    page = client.get(reverse("portals:cmc")).text

    assert "Entretien final" in page.split("à émarger")[1]


def test_it_shows_the_syntheses_awaiting_my_signature(client, cmc):
    cohort = led_cohort(cmc)
    synthesis = SynthesisFactory(enrolment=EnrolmentFactory(cohort=cohort), finalised=True)
    synthesis.sign(by=synthesis.enrolment.agent.user, capacity=Capacity.AGENT)

    page = client.get(reverse("portals:cmc")).text

    assert reverse("synthesis:sign", args=[synthesis.pk]) in page


def test_a_synthesis_signed_by_me_or_still_a_draft_awaits_nothing(client, cmc):
    cohort = led_cohort(cmc)
    signed = SynthesisFactory(enrolment=EnrolmentFactory(cohort=cohort), finalised=True)
    signed.sign(by=cmc, capacity=Capacity.LEADER)
    draft = SynthesisFactory(enrolment=EnrolmentFactory(cohort=cohort))

    page = client.get(reverse("portals:cmc")).text

    assert reverse("synthesis:sign", args=[signed.pk]) not in page
    assert reverse("synthesis:sign", args=[draft.pk]) not in page
    assert "Aucune synthèse n’attend votre signature." in page


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


def test_small_cohort_alert_up_to_two_weeks_ahead_for_collective_cohorts_not_started(
    wednesday, client, cmc
):
    for title, starts_on, extra in [
        ("Le jour limite", datetime.date(2026, 12, 16), {}),
        ("Le lendemain", datetime.date(2026, 12, 17), {}),
        (
            "Individuelle",
            datetime.date(2026, 12, 10),
            {
                "formula": "individuelle",
                "individual_reason": "Agent seul sur son site.",
                "capacity": 1,
            },
        ),
        ("Déjà lancée", datetime.date(2026, 11, 16), {"current_phase": 1}),
    ]:
        led_cohort(cmc, title=title, phases=starts_on, **extra)

    alerts = client.get(reverse("portals:cmc")).text.split("Mes promotions")[0]

    assert "Le jour limite</a> démarre le 16 décembre 2026 avec 0 agent" in alerts
    assert "Le lendemain" not in alerts
    assert "Individuelle" not in alerts and "Déjà lancée" not in alerts


def test_contract_alerts_only_for_cohorts_started_or_starting_within_two_weeks(
    wednesday, client, cmc
):
    for title, starts_on, phase in [
        ("Démarrée", datetime.date(2026, 11, 16), 1),
        ("Dans deux semaines", datetime.date(2026, 12, 16), None),
        ("Dans quinze jours", datetime.date(2026, 12, 17), None),
        ("Au printemps", datetime.date(2027, 3, 1), None),
    ]:
        cohort = led_cohort(cmc, title=title, phases=starts_on, current_phase=phase)
        EnrolmentFactory(cohort=cohort, request__agent__user__last_name=f"Agent {title}")

    alerts = client.get(reverse("portals:cmc")).text.split("Mes promotions")[0]

    assert "2 agents n’ont pas signé le contrat" in alerts
    assert "Agent Démarrée" in alerts and "Agent Dans deux semaines" in alerts
    assert "Agent Dans quinze jours" not in alerts and "Agent Au printemps" not in alerts


def test_an_empty_dashboard_says_what_to_do(client, cmc):
    page = client.get(reverse("portals:cmc")).text

    assert "Créer une promotion" in page and "Personne n’attend de place" in page


def test_the_dashboard_runs_the_same_queries_whatever_the_data(client, cmc):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("portals:cmc")).status_code == 200
        return len(captured)

    def fill() -> None:
        """One more row in each of the page's lists (its names, cohorts and dates)."""
        cohort = led_cohort(cmc, current_phase=1)  # under way: its contracts are chased
        unsigned = EnrolmentFactory(cohort=cohort)
        SessionFactory(  # attendance to record
            cohort=cohort,
            starts_at=timezone.now() - datetime.timedelta(days=2),
            participants=[unsigned],
        )
        SessionFactory(cohort=cohort, place="", video_link="https://visio.gouv.fr/x")  # no place
        SynthesisFactory(enrolment=EnrolmentFactory(cohort=cohort), finalised=True)
        helped = SynthesisFactory(enrolment=EnrolmentFactory(cohort=cohort))
        SupportRequest.objects.create(synthesis=helped, message="")
        ReviewRequestFactory(organisation=cohort.organisation, approved=True)  # waiting

    fill()
    queries()  # the first visit records the current role in the session: a write, once
    few = queries()
    for _ in range(4):
        fill()

    assert queries() == few <= 20
    page = client.get(reverse("portals:cmc")).text
    # Each list shows its rows (the queries above read their names, cohorts and dates).
    for empty in (
        "Aucun émargement en retard",
        "Aucune synthèse n’attend votre signature",
        "Aucun agent n’attend de réponse",
        "Personne n’attend de place",
    ):
        assert empty not in page
    assert page.count("n’a pas encore son lieu") == 5
    assert "agents n’ont pas signé le contrat" in page

"""The provider's home: the cohorts they lead, their next sessions, the syntheses awaiting
their signature, and when their access ends."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bpp.people.models import ProviderContract
from synthesis.models import Capacity
from tests.clock import paris
from tests.cohorts.factories import CohortFactory, EnrolmentFactory, SessionFactory
from tests.people.factories import OrganisationFactory, RoleFactory
from tests.synthesis.factories import SynthesisFactory

pytestmark = pytest.mark.django_db

URL = reverse("portals:provider")


@pytest.fixture
def consultant(client, settings):
    settings.PROVIDER_ACCESS_DAYS = 30
    with time_machine.travel(paris(2027, 1, 13, 15), tick=False):
        user = RoleFactory(for_provider=True).user
        client.force_login(user)
        yield user


def led(consultant, **kwargs):
    cohort = CohortFactory(provider=consultant.role_assignments.get().provider, **kwargs)
    cohort.leaders.add(consultant)
    return cohort


def test_it_lists_the_cohorts_i_lead_with_their_next_session_and_the_end_of_my_access(
    client, consultant
):
    running = led(consultant, title="Promotion de Lyon", current_phase=2)
    SessionFactory(cohort=running, title="Mes compétences", starts_at=paris(2027, 1, 20, 9))
    led(consultant, title="Promotion close", concluded_at=paris(2027, 1, 1, 12))
    led(consultant, title="Promotion d’avant", concluded_at=paris(2026, 11, 1))
    CohortFactory(provider=running.provider, title="Celle d’un collègue")

    page = client.get(URL).text

    assert "Promotion de Lyon" in page and "2. Appui à l’analyse" in page
    assert "20 janvier 2027, 09:00" in page and "Mes compétences" in page
    assert "30 jours après la fin de la promotion" in page
    assert "Promotion close" in page and "Le 31 janvier 2027" in page
    assert "Promotion d’avant" not in page  # access ended: the cohort pages are gone
    assert "Celle d’un collègue" not in page


def test_it_shows_the_syntheses_awaiting_my_signature(client, consultant):
    cohort = led(consultant)
    synthesis = SynthesisFactory(enrolment=EnrolmentFactory(cohort=cohort), finalised=True)
    synthesis.sign(by=synthesis.enrolment.agent.user, capacity=Capacity.AGENT)

    page = client.get(URL).text

    assert reverse("synthesis:sign", args=[synthesis.pk]) in page


def test_it_shows_my_contracts_still_running(client, consultant):
    provider = consultant.role_assignments.get().provider
    for reference, ends_on in [
        ("M-EN-COURS", datetime.date(2027, 6, 30)),
        ("M-OUVERT", None),
        ("M-ECHU", datetime.date(2027, 1, 12)),
    ]:
        ProviderContract.objects.create(
            organisation=OrganisationFactory(),
            provider=provider,
            reference=reference,
            starts_on=datetime.date(2026, 1, 1),
            ends_on=ends_on,
        )

    page = client.get(URL).text

    assert "M-EN-COURS : jusqu’au 30 juin 2027" in page
    assert "M-OUVERT : sans date de fin" in page
    assert "M-ECHU" not in page


def test_an_empty_home_says_so(client, consultant):
    page = client.get(URL).text

    assert "Vous n’animez aucune promotion" in page and "Aucune séance programmée" in page


def test_the_home_runs_the_same_queries_whatever_the_data(client, consultant):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    led(consultant)
    queries()  # the first visit records the current role in the session: a write, once
    few = queries()
    for _ in range(4):
        cohort = led(consultant)
        enrolment = EnrolmentFactory(cohort=cohort)
        SessionFactory(cohort=cohort, starts_at=paris(2027, 2, 1), participants=[enrolment])
        SynthesisFactory(enrolment=enrolment, finalised=True)

    assert queries() == few <= 13  # + the unread notifications badge

"""A provider works on the synthesis during the review, then keeps nothing."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bpp.people.models import Role
from synthesis.models import Basis, Synthesis
from tests.cohorts.factories import CohortFactory, EnrolmentFactory
from tests.people.factories import ProviderFactory, RoleFactory
from tests.synthesis.factories import SynthesisFactory

pytestmark = pytest.mark.django_db

PERSONAL = "Situation familiale"


@pytest.fixture
def provider_case(settings):
    settings.PROVIDER_ACCESS_DAYS = 30
    provider = ProviderFactory()
    consultant = RoleFactory(role=Role.PROVIDER, organisation=None, provider=provider).user
    cohort = CohortFactory(provider=provider, current_phase=4)
    cohort.leaders.add(consultant)  # named a leader of the cohort, before it opened
    synthesis = SynthesisFactory(enrolment=EnrolmentFactory(cohort=cohort), written=True)
    cmc = RoleFactory(role=Role.CMC, organisation=cohort.organisation).user
    return synthesis, consultant, cmc


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail(synthesis: Synthesis) -> str:
    return reverse("synthesis:detail", args=[synthesis.pk])


def conclude(synthesis: Synthesis, at: datetime.datetime) -> None:
    cohort = synthesis.enrolment.cohort
    cohort.concluded_at = at
    cohort.save()


def test_a_colleague_of_the_provider_who_does_not_lead_reads_nothing(provider_case):
    synthesis, consultant, _ = provider_case
    provider = consultant.role_assignments.get().provider
    colleague = RoleFactory(role=Role.PROVIDER, organisation=None, provider=provider).user

    assert login(colleague).get(detail(synthesis)).status_code == 404


def test_the_provider_co_writes_during_the_review(provider_case):
    synthesis, consultant, _ = provider_case
    client = login(consultant)

    page = client.get(detail(synthesis))

    assert page.status_code == 200 and PERSONAL in page.content.decode()
    assert client.get(reverse("synthesis:edit", args=[synthesis.pk])).status_code == 200
    assert client.get(reverse("synthesis:index")).status_code == 200


def test_access_ends_n_days_after_the_end_of_the_cohort(provider_case):
    synthesis, consultant, _ = provider_case
    now = timezone.now()
    client = login(consultant)

    conclude(synthesis, now - datetime.timedelta(days=30) + datetime.timedelta(minutes=1))
    assert client.get(detail(synthesis)).status_code == 200  # the last minute of the 30th day

    conclude(synthesis, now - datetime.timedelta(days=30))
    for name in ("synthesis:detail", "synthesis:edit", "synthesis:pdf", "synthesis:versions"):
        response = client.get(reverse(name, args=[synthesis.pk]))
        assert response.status_code == 410, name
        assert PERSONAL not in response.content.decode()
    assert str(synthesis.enrolment.agent) not in client.get(reverse("synthesis:index")).text


def test_the_agent_s_choice_ends_the_provider_s_access_at_once(provider_case, client):
    synthesis, consultant, cmc = provider_case
    conclude(synthesis, timezone.now())
    client.force_login(synthesis.enrolment.agent.user)

    response = client.post(
        reverse("synthesis:transmit", args=[synthesis.pk]),
        {"transmit": "oui", "counsellor": cmc.pk},
        follow=True,
    )

    assert "Le prestataire n’y a plus accès" in response.content.decode()
    synthesis.refresh_from_db()
    assert synthesis.transmitted_to == cmc and synthesis.transmission_decided_at is not None
    assert login(consultant).get(detail(synthesis)).status_code == 410
    received = login(cmc).get(detail(synthesis))
    assert received.status_code == 200
    assert PERSONAL not in received.content.decode()  # 2.5 stays with the agent and the leader
    assert received.context["loaded"].basis == Basis.FOLLOW_UP
    assert str(synthesis.enrolment.agent) in login(cmc).get(reverse("synthesis:index")).text


def test_the_agent_may_transmit_it_to_nobody(provider_case, client):
    synthesis, consultant, cmc = provider_case
    conclude(synthesis, timezone.now())
    client.force_login(synthesis.enrolment.agent.user)

    client.post(reverse("synthesis:transmit", args=[synthesis.pk]), {"transmit": "non"})

    synthesis.refresh_from_db()
    assert synthesis.transmitted_to is None and synthesis.transmission_decided_at is not None
    assert login(consultant).get(detail(synthesis)).status_code == 410
    assert login(cmc).get(detail(synthesis)).status_code == 404


def test_transmitting_needs_a_counsellor_of_the_agent_s_employer(provider_case, client):
    synthesis, _, _ = provider_case
    conclude(synthesis, timezone.now())
    stranger = RoleFactory(role=Role.CMC).user  # a CMC of another employer
    client.force_login(synthesis.enrolment.agent.user)

    missing = client.post(reverse("synthesis:transmit", args=[synthesis.pk]), {"transmit": "oui"})
    foreign = client.post(
        reverse("synthesis:transmit", args=[synthesis.pk]),
        {"transmit": "oui", "counsellor": stranger.pk},
    )

    assert "Choisissez le conseiller" in missing.content.decode()
    assert foreign.status_code == 200
    synthesis.refresh_from_db()
    assert synthesis.transmission_decided_at is None


def test_the_choice_opens_only_once_the_cohort_has_ended(provider_case, client):
    synthesis, _, cmc = provider_case
    client.force_login(synthesis.enrolment.agent.user)

    response = client.post(
        reverse("synthesis:transmit", args=[synthesis.pk]),
        {"transmit": "oui", "counsellor": cmc.pk},
    )

    assert response.status_code == 404


def test_an_internal_leader_keeps_access_after_the_end():
    cohort = CohortFactory(concluded_at=timezone.now() - datetime.timedelta(days=400))
    synthesis = SynthesisFactory(enrolment=EnrolmentFactory(cohort=cohort), signed=True)
    leader = cohort.leaders.get()

    assert login(leader).get(detail(synthesis)).status_code == 200

"""Placing an agent seats them and opens their synthesis, in one transaction."""

import pytest
from django.urls import reverse

from bpp.pages.services import place_agent
from bpp.people.models import Role
from cohorts.models import CohortError, Enrolment
from synthesis.models import Status, Synthesis
from tests.cohorts.factories import CohortFactory
from tests.people.factories import AgentFactory, RoleFactory, UserFactory
from tests.requests.factories import ReviewRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    cohort = CohortFactory()
    cohort.leaders.add(RoleFactory(role=Role.CMC, organisation=cohort.organisation).user)
    return cohort


def approved_request(organisation):
    agent = AgentFactory(service__organisation=organisation, organisation=organisation)
    return ReviewRequestFactory(agent=agent, approved=True)


def test_placing_an_agent_opens_their_synthesis(cohort):
    enrolment = place_agent(
        review_request=approved_request(cohort.organisation), cohort=cohort, by=UserFactory()
    )

    synthesis = Synthesis.objects.get(enrolment=enrolment)
    assert synthesis.status == Status.DRAFT
    assert synthesis.version == 0


def test_a_refused_placement_opens_nothing(cohort):
    cohort.seats_taken = cohort.capacity
    cohort.save()

    with pytest.raises(CohortError):
        place_agent(
            review_request=approved_request(cohort.organisation), cohort=cohort, by=UserFactory()
        )

    assert not Enrolment.objects.exists()
    assert not Synthesis.objects.exists()


def test_the_leader_finds_a_synthesis_for_every_agent_placed(client, cohort):
    requests = [approved_request(cohort.organisation) for _ in range(3)]
    for review_request in requests:
        place_agent(review_request=review_request, cohort=cohort, by=UserFactory())
    client.force_login(cohort.leaders.get())

    page = client.get(reverse("synthesis:cohort", args=[cohort.pk]))

    assert len(page.context["syntheses"]) == 3
    assert all(r.agent.user.get_full_name() in page.text for r in requests)


def test_placing_from_the_queue_opens_the_synthesis(client, cohort):
    review_request = approved_request(cohort.organisation)
    client.force_login(RoleFactory(role=Role.CMC, organisation=cohort.organisation).user)

    client.post(
        reverse("portals:place", args=[cohort.pk]),
        {"demandes": [review_request.pk], "etape": "confirmer"},
    )

    assert Synthesis.objects.filter(enrolment__request=review_request).exists()

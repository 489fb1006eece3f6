"""After approval, the agent sees when the review may start: rank and next suitable cohorts."""

import datetime

import pytest
from django.urls import reverse

from bpp.requests.models import Mode
from cohorts.models import Cohort
from tests.cohorts.factories import CohortFactory, EnrolmentFactory
from tests.people.factories import AgentFactory, OrganisationFactory
from tests.requests.factories import ReviewRequestFactory

pytestmark = pytest.mark.django_db


def approved(organisation, day, **agent):
    profile = AgentFactory(service__organisation=organisation, organisation=organisation, **agent)
    return ReviewRequestFactory(
        agent=profile,
        approved=True,
        decided_at=datetime.datetime(2026, 10, day, 12, tzinfo=datetime.UTC),
        preferred_mode=Mode.ON_SITE,
    )


def test_the_agent_sees_their_rank_and_the_next_cohorts_that_suit_them(client):
    organisation = OrganisationFactory()
    approved(organisation, 1)
    mine = approved(organisation, 2, work_departement="92")
    CohortFactory(organisation=organisation, title="À distance", mode=Mode.REMOTE)
    CohortFactory(
        organisation=organisation,
        title="Puteaux de mars",
        departement="92",
        town="Puteaux",
        phases=datetime.date(2027, 3, 1),
    )
    client.force_login(mine.agent.user)

    page = client.get(reverse("portals:agent"))

    assert page.context["expected"].rank == 2
    assert [c.title for c in page.context["expected"].cohorts] == ["Puteaux de mars"]
    assert "2<sup>e</sup>" in page.text
    assert "Puteaux de mars, à partir du 1er mars 2027, Puteaux" in page.text


def test_a_priority_agent_approved_last_is_first(client):
    organisation = OrganisationFactory()
    approved(organisation, 1)
    mine = approved(organisation, 20, l5212_13=True)
    client.force_login(mine.agent.user)

    page = client.get(reverse("portals:agent"))

    assert "1<sup>er</sup>" in page.text
    assert "passent en premier" in page.text
    assert "la prochaine promotion publiée vous sera proposée" in page.text


def test_a_placed_agent_sees_their_cohort_not_a_rank(client):
    enrolment = EnrolmentFactory()
    Cohort.objects.filter(pk=enrolment.cohort_id).update(seats_taken=1)
    client.force_login(enrolment.agent.user)

    page = client.get(reverse("portals:agent"))

    assert page.context["expected"] is None
    assert "rang dans la file" not in page.text

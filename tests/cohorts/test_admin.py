"""The HR admin finds cohorts in the back office: filters, search, their employer only."""

import pytest
from django.urls import reverse

from tests.cohorts.factories import CohortFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


def test_the_hr_admin_filters_and_searches_the_cohorts_of_their_employer(client, world):
    small = CohortFactory(organisation=world.organisation, title="Promotion maigre", seats_taken=2)
    full = CohortFactory(organisation=world.organisation, title="Promotion pleine", seats_taken=12)
    foreign = CohortFactory(organisation=world.other_organisation, title="Promotion voisine")
    enrolment = EnrolmentFactory(cohort=full, request__agent__user__last_name="Zanzibar")
    client.force_login(world.users["hr_admin"])
    url = reverse("admin:cohorts_cohort_changelist")

    everything = client.get(url).text
    under_six = client.get(url, {"remplissage": "moins6"}).text
    found = client.get(url, {"q": "Zanzibar"}).text

    assert small.title in everything and full.title in everything
    assert foreign.title not in everything
    assert small.title in under_six and full.title not in under_six
    assert full.title in found and small.title not in found
    change = client.get(reverse("admin:cohorts_cohort_change", args=[full.pk])).text
    assert str(enrolment.agent) in change

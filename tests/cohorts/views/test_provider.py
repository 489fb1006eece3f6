import pytest
from django.urls import reverse

from bpp.people.models import Role
from tests.cohorts.factories import CohortFactory, EnrolmentFactory
from tests.people.factories import ProviderFactory, RoleFactory

pytestmark = pytest.mark.django_db


def test_a_provider_sees_only_the_cohorts_it_leads_and_their_participants(client):
    provider = ProviderFactory()
    consultant = RoleFactory(role=Role.PROVIDER, organisation=None, provider=provider).user
    own = CohortFactory(provider=provider, title="Promotion du prestataire")
    own.leaders.add(consultant)
    colleague_s = CohortFactory(provider=provider, title="Promotion d’un collègue")
    enrolment = EnrolmentFactory(cohort=own, request__agent__user__last_name="Participant")
    other = CohortFactory(title="Promotion interne")
    client.force_login(consultant)

    dashboard = client.get(reverse("cohorts:dashboard"))
    detail = client.get(reverse("cohorts:detail", args=[own.pk]))

    assert "Promotion du prestataire" in dashboard.text
    assert "Promotion interne" not in dashboard.text
    # Working for the provider is not enough: one leads the cohorts one is named to.
    assert "Promotion d’un collègue" not in dashboard.text
    assert client.get(reverse("cohorts:detail", args=[colleague_s.pk])).status_code == 404
    assert str(enrolment.agent) in detail.text
    assert client.get(reverse("cohorts:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("cohorts:queue")).status_code == 403  # placement stays internal

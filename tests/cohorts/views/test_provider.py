import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bpp.people.models import Role
from tests.cohorts.factories import CohortFactory, EnrolmentFactory, SessionFactory
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


def test_a_provider_past_its_access_gets_410_on_every_page_naming_the_agents(client, settings):
    settings.PROVIDER_ACCESS_DAYS = 30
    provider = ProviderFactory()
    consultant = RoleFactory(role=Role.PROVIDER, organisation=None, provider=provider).user
    cohort = CohortFactory(provider=provider)
    cohort.leaders.add(consultant)
    enrolment = EnrolmentFactory(cohort=cohort)
    session = SessionFactory(cohort=cohort, participants=[enrolment])
    pages = [
        reverse("cohorts:detail", args=[cohort.pk]),
        reverse("cohorts:attendance", args=[session.pk]),
        reverse("cohorts:attendance_sheet", args=[session.pk]),
        reverse("cohorts:session_ics", args=[session.pk]),
        reverse("synthesis:cohort", args=[cohort.pk]),
    ]
    client.force_login(consultant)
    ended = timezone.now() - datetime.timedelta(days=30)

    cohort.concluded_at = ended + datetime.timedelta(minutes=1)  # still a minute to go
    cohort.save()
    assert [client.get(url).status_code for url in pages] == [200] * len(pages)

    cohort.concluded_at = ended  # the 30th day is over
    cohort.save()
    for url in pages:
        response = client.get(url)
        assert response.status_code == 410, url
        assert str(enrolment.agent) not in response.text

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bpp.people.admin_site import AdministeredOrganisationFilter
from bpp.people.models import Role
from bpp.requests.models import Status
from tests.people.factories import AgentFactory, OrganisationFactory, RoleFactory
from tests.requests.factories import ReviewRequestFactory


@pytest.mark.parametrize("year", ["99999999999", "-1", "deux-mille", ""])
def test_a_malformed_year_filters_nothing_and_breaks_nothing(world, year):
    response = world.client("hr_admin").get(
        reverse("admin:requests_reviewrequest_changelist"), {"annee": year}
    )

    assert response.status_code == 200
    assert world.request in response.context["cl"].result_list


@pytest.mark.django_db
def test_the_years_run_from_the_latest_receipt_to_the_first_and_filter(world):
    world.request.received_on = datetime.date(2024, 3, 1)
    world.request.save()
    ReviewRequestFactory(
        agent=AgentFactory(
            organisation=world.request.organisation,
            service__organisation=world.request.organisation,
        ),
        received_on=datetime.date(2026, 1, 15),
    )
    url = reverse("admin:requests_reviewrequest_changelist")

    response = world.client("hr_admin").get(url, {"annee": "2024"})

    [year_filter] = [
        f for f in response.context["cl"].filter_specs if f.title == "année de réception"
    ]
    years = [int(value) for value, _ in year_filter.lookup_choices]
    # From the latest receipt (the world's other requests are received today) down to
    # 2024, a year without a request included.
    assert years[0] >= 2026
    assert years == list(range(years[0], 2023, -1))
    assert list(response.context["cl"].result_list) == [world.request]


@pytest.mark.django_db
def test_the_state_filter_reads_the_state_as_of_today(world):
    world.request.decision_deadline = world.request.received_on - datetime.timedelta(days=1)
    world.request.received_on -= datetime.timedelta(days=70)
    world.request.save()
    url = reverse("admin:requests_reviewrequest_changelist")

    rejected = world.client("hr_admin").get(url, {"etat": Status.IMPLICITLY_REJECTED})
    pending = world.client("hr_admin").get(url, {"etat": Status.PENDING})

    assert list(rejected.context["cl"].result_list) == [world.request]
    assert world.request not in pending.context["cl"].result_list


@pytest.mark.django_db
def test_the_hr_admin_lists_only_the_requests_of_their_employers(world):
    response = world.client("hr_admin").get(reverse("admin:requests_reviewrequest_changelist"))

    assert world.request in response.context["cl"].result_list
    assert world.proposal not in response.context["cl"].result_list


@pytest.mark.django_db
def test_the_request_list_runs_the_same_queries_however_many_requests(world):
    client = world.client("hr_admin")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            url = reverse("admin:requests_reviewrequest_changelist")
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    for received_on in (datetime.date(2025, 3, 3), datetime.date(2026, 5, 4)):
        for _ in range(3):
            ReviewRequestFactory(agent=AgentFactory(service=world.service), received_on=received_on)

    assert queries() == few


def _employer_filters(response) -> list[AdministeredOrganisationFilter]:
    """The filter by employer, if the list shows it."""
    specs = response.context["cl"].filter_specs
    return [spec for spec in specs if isinstance(spec, AdministeredOrganisationFilter)]


@pytest.mark.django_db
def test_the_employer_filter_offers_the_hr_admin_s_employers_only(world):
    third = OrganisationFactory(name="Ministère Tiers")
    RoleFactory(user=world.users["hr_admin"], role=Role.HR_ADMIN, organisation=third)

    response = world.client("hr_admin").get(reverse("admin:requests_reviewrequest_changelist"))

    (employer_filter,) = _employer_filters(response)
    assert employer_filter.lookup_choices == [
        (world.organisation.pk, "Ministère de l’Exemple"),
        (third.pk, "Ministère Tiers"),
    ]
    assert world.other_organisation.name not in response.text


@pytest.mark.django_db
def test_the_employer_filter_is_hidden_when_there_is_one_employer_to_choose(world):
    response = world.client("hr_admin").get(reverse("admin:requests_reviewrequest_changelist"))

    assert _employer_filters(response) == []
    assert world.other_organisation.name not in response.text

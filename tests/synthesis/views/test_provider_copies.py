"""A provider keeps nothing: its consultants attest the destruction of what they
downloaded once their access ends, and the employer's staff see that they did."""

import datetime

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bpp.people.models import Role
from synthesis.models import AccessRecord, Basis, ProviderCopy
from tests.cohorts.factories import CohortFactory, EnrolmentFactory
from tests.people.factories import ProviderFactory, RoleFactory
from tests.synthesis.factories import SynthesisFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("synthesis:destruction")
CONFIRM = "J’atteste avoir détruit toutes les copies"


@pytest.fixture
def provider_case(settings):
    settings.PROVIDER_ACCESS_DAYS = 30
    provider = ProviderFactory()
    consultant = RoleFactory(role=Role.PROVIDER, organisation=None, provider=provider).user
    cohort = CohortFactory(provider=provider, current_phase=4, title="Promotion Alpha")
    cohort.leaders.add(consultant)
    synthesis = SynthesisFactory(enrolment=EnrolmentFactory(cohort=cohort), signed=True)
    return synthesis, consultant


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def conclude(synthesis, days_ago: float) -> None:
    cohort = synthesis.enrolment.cohort
    cohort.concluded_at = timezone.now() - datetime.timedelta(days=days_ago)
    cohort.save()


def download(client, synthesis):
    response = client.get(reverse("synthesis:pdf", args=[synthesis.pk]))
    assert response.status_code == 200
    return response


def attest(client, target, **data):
    return client.post(
        PAGE,
        {"copy": target.pk, "confirm": "on", "name": "Camille Prestataire"} | data,
        follow=True,
    )


# What is counted -------------------------------------------------------------------------


def test_each_pdf_a_consultant_downloads_is_counted_for_the_cohort(provider_case):
    synthesis, consultant = provider_case
    client = login(consultant)

    download(client, synthesis)
    download(client, synthesis)
    client.get(reverse("synthesis:detail", args=[synthesis.pk]))  # a reading is no copy

    copy = ProviderCopy.objects.get()
    assert (copy.consultant, copy.cohort, copy.downloads) == (
        consultant,
        synthesis.enrolment.cohort,
        2,
    )
    assert copy.provider == synthesis.enrolment.cohort.provider
    assert copy.last_downloaded_at >= copy.first_downloaded_at


def test_the_cohort_zip_counts_each_synthesis_in_it(provider_case):
    synthesis, consultant = provider_case
    cohort = synthesis.enrolment.cohort
    SynthesisFactory(enrolment=EnrolmentFactory(cohort=cohort), signed=True)

    login(consultant).get(reverse("synthesis:cohort_zip", args=[cohort.pk]))

    assert ProviderCopy.objects.get().downloads == 2


def test_an_internal_leader_s_download_is_no_provider_copy():
    synthesis = SynthesisFactory(signed=True)
    leader = synthesis.enrolment.cohort.leaders.get()

    download(login(leader), synthesis)

    assert not ProviderCopy.objects.exists()


# When the attestation is due ----------------------------------------------------------------


def test_nothing_to_attest_while_access_lasts(provider_case):
    synthesis, consultant = provider_case
    client = login(consultant)
    download(client, synthesis)
    conclude(synthesis, days_ago=30 - 1 / 24)  # an hour before the end of the 30th day

    page = client.get(PAGE).text

    assert "Aucune attestation ne vous est demandée" in page
    assert "Promotion Alpha" in page and CONFIRM not in page
    assert "Attestation de destruction attendue" not in client.get(reverse("portals:provider")).text


def test_due_once_access_ends_and_reachable_after_the_410(provider_case):
    synthesis, consultant = provider_case
    client = login(consultant)
    download(client, synthesis)
    conclude(synthesis, days_ago=30)

    gone = client.get(reverse("synthesis:detail", args=[synthesis.pk]))
    page = client.get(PAGE)

    assert gone.status_code == 410 and PAGE in gone.text
    assert page.status_code == 200 and CONFIRM in page.text
    assert "Attestation de destruction attendue" in client.get(reverse("portals:provider")).text


def test_due_at_once_when_every_agent_has_chosen_whether_to_transmit(provider_case):
    synthesis, consultant = provider_case
    download(login(consultant), synthesis)
    conclude(synthesis, days_ago=1)

    assert not ProviderCopy.objects.due(timezone.now()).exists()
    synthesis.decide_transmission(to=None)
    assert ProviderCopy.objects.due(timezone.now()).exists()


def test_due_when_the_consultant_no_longer_leads_or_works_for_the_provider(provider_case):
    synthesis, consultant = provider_case
    download(login(consultant), synthesis)
    assert not ProviderCopy.objects.due(timezone.now()).exists()

    synthesis.enrolment.cohort.leaders.remove(consultant)
    assert ProviderCopy.objects.due(timezone.now()).exists()

    synthesis.enrolment.cohort.leaders.add(consultant)
    consultant.role_assignments.all().delete()
    assert ProviderCopy.objects.due(timezone.now()).exists()
    # Without the role, the page stays theirs: the duty outlives the contract.
    assert CONFIRM in login(consultant).get(PAGE).text


def test_due_the_day_after_the_contract_s_last_day(provider_case):
    synthesis, consultant = provider_case
    download(login(consultant), synthesis)
    contract = synthesis.enrolment.cohort.provider_contract
    now = timezone.now()
    contract.ends_on = timezone.localdate(now)
    contract.save()

    assert not ProviderCopy.objects.due(now).exists()  # its last day
    assert ProviderCopy.objects.due(now + datetime.timedelta(days=1)).exists()


# Attesting -----------------------------------------------------------------------------------


def test_the_attestation_is_recorded_with_the_name_and_the_date(provider_case):
    synthesis, consultant = provider_case
    client = login(consultant)
    download(client, synthesis)
    conclude(synthesis, days_ago=31)

    response = attest(client, ProviderCopy.objects.get(), name="  Camille   Prestataire ")

    copy = ProviderCopy.objects.get()
    assert copy.is_attested and copy.attested_by_name == "Camille Prestataire"
    assert copy.destruction_attested_at >= copy.last_downloaded_at
    assert "Destruction attestée pour « Promotion Alpha »" in response.text
    assert not ProviderCopy.objects.due(timezone.now()).exists()
    assert "Mes attestations" in response.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"confirm": ""}, "Cochez la case pour attester la destruction."),
        ({"name": "   "}, "Indiquez vos nom et prénom pour signer l’attestation."),
        ({"copy": "999999"}, "Choisissez la promotion."),
        ({"copy": "9" * 40}, "Choisissez la promotion."),
    ],
)
def test_an_incomplete_attestation_records_nothing(provider_case, data, message):
    synthesis, consultant = provider_case
    client = login(consultant)
    download(client, synthesis)
    conclude(synthesis, days_ago=31)

    response = attest(client, ProviderCopy.objects.get(), **data)

    assert message in response.text
    assert not ProviderCopy.objects.get().is_attested


def test_nobody_attests_another_consultant_s_copies(provider_case):
    synthesis, consultant = provider_case
    download(login(consultant), synthesis)
    conclude(synthesis, days_ago=31)
    colleague = RoleFactory(
        role=Role.PROVIDER, organisation=None, provider=synthesis.enrolment.cohort.provider
    ).user

    response = attest(login(colleague), ProviderCopy.objects.get())

    assert "Choisissez la promotion." in response.text
    assert not ProviderCopy.objects.get().is_attested


def test_attesting_twice_is_refused(provider_case):
    synthesis, consultant = provider_case
    client = login(consultant)
    download(client, synthesis)
    conclude(synthesis, days_ago=31)
    copy = ProviderCopy.objects.get()
    attest(client, copy)

    attest(client, copy, name="Quelqu’un d’autre")

    assert ProviderCopy.objects.get().attested_by_name == "Camille Prestataire"


def test_a_download_after_the_attestation_must_be_attested_again(provider_case):
    synthesis, consultant = provider_case
    client = login(consultant)
    download(client, synthesis)
    attest_now = ProviderCopy.objects.get()
    attest_now.attest(name="Camille Prestataire")

    download(client, synthesis)

    assert ProviderCopy.objects.open().get().downloads == 1
    assert ProviderCopy.objects.count() == 2


def test_the_copy_outlives_the_agent_s_destruction_of_the_synthesis(provider_case):
    synthesis, consultant = provider_case
    download(login(consultant), synthesis)

    synthesis.destroy()

    assert not AccessRecord.objects.exists()
    assert ProviderCopy.objects.open().get().downloads == 1


def test_past_downloads_are_counted_by_the_migration(provider_case):
    from importlib import import_module

    synthesis, consultant = provider_case
    for _ in range(3):
        AccessRecord.objects.create(
            synthesis=synthesis, reader=consultant, basis=Basis.PROVIDER, format="pdf"
        )
    AccessRecord.objects.create(
        synthesis=synthesis, reader=consultant, basis=Basis.PROVIDER, format="page"
    )
    migration = import_module("synthesis.migrations.0005_provider_copies")

    migration.count_past_downloads(apps, None)

    copy = ProviderCopy.objects.get()
    assert (copy.consultant, copy.downloads) == (consultant, 3)


# The employer's staff -------------------------------------------------------------------------


def test_the_staff_see_the_state_of_each_consultant(provider_case):
    synthesis, consultant = provider_case
    cohort = synthesis.enrolment.cohort
    client = login(consultant)
    download(client, synthesis)
    conclude(synthesis, days_ago=31)
    hr = login(RoleFactory(role=Role.HR, organisation=cohort.organisation).user)
    url = reverse("synthesis:cohort_copies", args=[cohort.pk])

    assert url in hr.get(reverse("cohorts:detail", args=[cohort.pk])).text
    assert "Attestation attendue" in hr.get(url).text
    attest(client, ProviderCopy.objects.get())
    page = hr.get(url).text
    assert "Destruction attestée" in page and "« Camille Prestataire »" in page
    assert consultant.get_full_name() in page


def test_only_the_employer_s_staff_see_the_copies(provider_case):
    synthesis, consultant = provider_case
    cohort = synthesis.enrolment.cohort
    url = reverse("synthesis:cohort_copies", args=[cohort.pk])
    foreign_hr = RoleFactory(role=Role.HR).user

    assert login(foreign_hr).get(url).status_code == 404
    assert login(consultant).get(url).status_code == 404
    assert login(synthesis.enrolment.agent.user).get(url).status_code == 404
    for role in (Role.CMC, Role.HR_ADMIN):
        user = RoleFactory(role=role, organisation=cohort.organisation).user
        assert login(user).get(url).status_code == 200


def test_the_pages_run_a_bounded_number_of_queries(provider_case, django_assert_max_num_queries):
    synthesis, consultant = provider_case
    cohort = synthesis.enrolment.cohort
    client = login(consultant)
    for _ in range(3):
        other = CohortFactory(provider=cohort.provider, current_phase=4)
        other.leaders.add(consultant)
        other_synthesis = SynthesisFactory(enrolment=EnrolmentFactory(cohort=other), signed=True)
        download(client, other_synthesis)
        conclude(other_synthesis, days_ago=40)
    hr = login(RoleFactory(role=Role.HR, organisation=cohort.organisation).user)

    with django_assert_max_num_queries(12):
        client.get(PAGE)
    with django_assert_max_num_queries(12):
        hr.get(reverse("synthesis:cohort_copies", args=[cohort.pk]))


def test_the_daily_purge_takes_the_record_with_its_cohort(provider_case):
    from bpp.pages.retention import purge_expired_data

    synthesis, consultant = provider_case
    download(login(consultant), synthesis)
    cohort = synthesis.enrolment.cohort
    conclude(synthesis, days_ago=365 * 12)
    synthesis.destroy()  # nothing of the agent's kept any more

    purge_expired_data()

    assert not type(cohort).objects.filter(pk=cohort.pk).exists()
    assert not ProviderCopy.objects.exists()

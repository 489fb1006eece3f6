"""The demo holds syntheses in every state, real ones (versions, digests, encryption)."""

import io

import pytest
from django.core.management import call_command

from bpp.people.models import User
from synthesis.models import AccessRecord, Consent, Signature, Status, Synthesis, SynthesisVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())


def test_every_state_is_in_the_demo(demo):
    assert set(Synthesis.objects.values_list("status", flat=True)) == set(Status.values)
    co_written = Synthesis.objects.filter(versions__number=3).first()
    authors = set(co_written.versions.values_list("author", flat=True))
    assert len(authors) == 2  # the agent and the leader


def test_the_documented_manager_reads_a_shared_one_and_its_agent_sees_the_log(demo):
    manager = User.objects.get(email="manager1@ecologie.demo.gouv.fr")
    shared = Synthesis.objects.filter(
        enrolment__agent__manager=manager,
        consents__audience="manager",
        consents__revoked_at__isnull=True,
    ).first()

    assert shared.status == Status.SIGNED
    assert AccessRecord.objects.filter(synthesis=shared, reader=manager).exists()
    assert Consent.objects.filter(revoked_at__isnull=False).exists()


def test_the_provider_s_cohorts_have_syntheses_one_transmitted(demo):
    led = Synthesis.objects.filter(enrolment__cohort__provider__isnull=False)
    transmitted = led.get(transmitted_to__isnull=False)

    assert led.filter(enrolment__cohort__concluded_at__isnull=True).exists()  # still working
    assert transmitted.transmitted_to.email.startswith("cmc.ines@")
    assert led.filter(transmission_decided_at__isnull=True, status=Status.FINALISED).exists()


def test_an_amended_one_keeps_its_signed_version(demo):
    amended = Synthesis.objects.filter(
        status=Status.DRAFT, versions__signatures__isnull=False, version__gt=1
    ).first()

    assert amended.current().signatures.count() == 0
    assert amended.versions.get(number=amended.version - 1).signatures.count() == 2


def test_signatures_are_intact_and_running_it_again_gives_the_same_demo(demo):
    assert all(signature.is_intact for signature in Signature.objects.all())
    before = (Synthesis.objects.count(), SynthesisVersion.objects.count())

    call_command("seed_demo", stdout=io.StringIO())

    assert (Synthesis.objects.count(), SynthesisVersion.objects.count()) == before

import pytest
from django.urls import reverse

from bpp.people.models import Role
from cohorts import contract
from tests.cohorts.factories import EnrolmentFactory
from tests.people.factories import RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolment(client):
    enrolment = EnrolmentFactory(cohort__confidentiality_rules="Les noms des collègues cités.")
    client.force_login(enrolment.agent.user)
    return enrolment


def test_the_agent_reads_the_contract_and_the_group_rules_before_signing(client, enrolment):
    response = client.get(reverse("cohorts:sign_contract", args=[enrolment.pk]))

    assert contract.CLAUSES[1] in response.text
    assert "Les noms des collègues cités." in response.text
    assert f"version {contract.VERSION}" in response.text


def test_signing_records_the_time_and_the_version(client, enrolment):
    client.post(reverse("cohorts:sign_contract", args=[enrolment.pk]), {"agree": "on"})

    enrolment.refresh_from_db()
    assert enrolment.contract_signed_at is not None
    assert enrolment.contract_version == contract.VERSION


def test_signing_needs_the_box_ticked(client, enrolment):
    response = client.post(reverse("cohorts:sign_contract", args=[enrolment.pk]), {})

    assert "Cochez la case pour signer le contrat" in response.text
    enrolment.refresh_from_db()
    assert enrolment.contract_signed_at is None


def test_a_second_signature_keeps_the_first(client, enrolment):
    url = reverse("cohorts:sign_contract", args=[enrolment.pk])
    client.post(url, {"agree": "on"})
    enrolment.refresh_from_db()
    first = enrolment.contract_signed_at

    client.post(url, {"agree": "on"})

    enrolment.refresh_from_db()
    assert enrolment.contract_signed_at == first


def test_until_signed_the_agent_is_told_phase_2_waits_for_the_signature(client, enrolment):
    response = client.get(reverse("portals:agent"))

    assert (
        "la phase 2 (analyse du parcours) vous est ouverte une fois le contrat signé"
        in response.text
    )
    assert "Lire et signer le contrat" in response.text


def test_another_agent_cannot_sign_for_someone(client, enrolment):
    other = EnrolmentFactory()

    response = client.post(reverse("cohorts:sign_contract", args=[other.pk]), {"agree": "on"})

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.contract_signed_at is None


def test_the_cmc_records_what_the_group_holds_confidential(client, enrolment):
    cmc = RoleFactory(role=Role.CMC, organisation=enrolment.cohort.organisation).user
    client.force_login(cmc)

    client.post(
        reverse("cohorts:confidentiality", args=[enrolment.cohort.pk]),
        {"confidentiality_rules": "Les situations de santé évoquées."},
    )

    enrolment.cohort.refresh_from_db()
    assert enrolment.cohort.confidentiality_rules == "Les situations de santé évoquées."


def test_the_contract_binds_both_parties_and_states_the_agents_rights(client, enrolment):
    response = client.get(reverse("cohorts:sign_contract", args=[enrolment.pk]))

    text = response.text
    assert "Comme l’animateur, je suis tenu(e) au secret professionnel" in text
    assert "Comme l’animateur, je suis tenu(e) à la discrétion professionnelle" in text
    assert "il est tenu au secret et à la discrétion professionnels" in text
    assert "il est détruit à ma demande" in text
    assert "quitter la promotion retire ma demande de bilan" in text
    assert "en mission, sans incidence sur ma rémunération" in text

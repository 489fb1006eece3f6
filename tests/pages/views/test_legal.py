"""The privacy notice of each employer, the accessibility statement, the legal notice and
the contact page: open to all, linked from every footer."""

import pytest
from django.test import Client

from bpp.people.models import Organisation, Role
from tests.people.factories import AgentFactory, OrganisationFactory, RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def employers():
    ministry = OrganisationFactory(
        name="Ministère de l’Exemple",
        controller_name="Ministère de l’Exemple, direction des ressources humaines",
        dpo_name="Claire Dupont",
        dpo_email="dpo@exemple.gouv.fr",
        dpo_address="1 rue de l’Exemple\n75007 Paris",
    )
    town = OrganisationFactory(name="Ville de Sainte-Exemple", dpo_email="dpo@ville.fr")
    return ministry, town


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_agent_reads_their_employers_notice(employers):
    ministry, _ = employers
    agent = AgentFactory(organisation=ministry, service__organisation=ministry).user

    response = signed_in(agent).get("/donnees-personnelles/")

    assert response.context["employer"] == ministry
    text = response.text
    assert "Ministère de l’Exemple, direction des ressources humaines" in text
    assert "Claire Dupont" in text and "dpo@exemple.gouv.fr" in text
    assert "75007 Paris" in text
    assert "dpo@ville.fr" not in text
    for words in (
        "article 9, paragraphe 2",  # health data: 2.5 and L5212-13
        "L5212-13",
        "2.5",
        "Durées de conservation",
        "5 ans",  # the syntheses, by default
        "Télécharger mes données",
        "cnil.fr/fr/plaintes",
    ):
        assert words in text, words


def test_anonymous_visitors_see_every_employers_dpo_and_a_choice(employers, client):
    response = client.get("/donnees-personnelles/")

    assert response.status_code == 200
    assert response.context["employer"] is None
    assert "dpo@exemple.gouv.fr" in response.text and "dpo@ville.fr" in response.text
    assert '<select class="fr-select" id="employeur" name="employeur">' in response.text


def test_someone_of_two_employers_chooses(employers):
    ministry, town = employers
    agent = AgentFactory(organisation=ministry, service__organisation=ministry).user
    RoleFactory(user=agent, role=Role.CMC, organisation=town)
    client = signed_in(agent)

    assert client.get("/donnees-personnelles/").context["employer"] is None
    chosen = client.get(f"/donnees-personnelles/?employeur={town.pk}")
    assert chosen.context["employer"] == town
    assert "dpo@exemple.gouv.fr" not in chosen.text


@pytest.mark.parametrize("value", ["abc", "999999", "1 OR 1=1", "-1"])
def test_an_unknown_employer_says_so_and_shows_the_generic_notice(employers, client, value):
    response = client.get("/donnees-personnelles/", {"employeur": value})

    assert response.status_code == 200
    assert "Cet employeur n’existe pas" in response.text
    assert "dpo@ville.fr" in response.text


def test_an_employer_without_a_dpo_says_whom_to_ask(client):
    bare = OrganisationFactory(name="Établissement sans DPO")
    response = client.get(f"/donnees-personnelles/?employeur={bare.pk}")
    assert "ne sont pas encore renseignées" in response.text


def test_the_retention_periods_shown_are_the_configured_ones(client, settings):
    settings.RETENTION_MONTHS = {**settings.RETENTION_MONTHS, "closed_requests": 18}
    assert (
        "<strong>18 mois</strong> après leur clôture" in client.get("/donnees-personnelles/").text
    )


def test_every_footer_links_the_four_pages(client, employers):
    ministry, _ = employers
    for page in ("/connexion/", "/donnees-personnelles/", "/contact/"):
        text = client.get(page).text
        for url in ("/accessibilite/", "/donnees-personnelles/", "/mentions-legales/", "/contact/"):
            assert f'class="fr-footer__bottom-link" href="{url}"' in text, (page, url)
    agent = AgentFactory(organisation=ministry, service__organisation=ministry).user
    assert 'href="/donnees-personnelles/"' in signed_in(agent).get("/agent/").text


def test_the_request_form_links_the_notice(employers):
    ministry, _ = employers
    agent = AgentFactory(organisation=ministry, service__organisation=ministry).user
    text = signed_in(agent).get("/agent/demande/").text
    assert 'href="/donnees-personnelles/">notice sur les données personnelles</a>' in text


def test_the_accessibility_statement_follows_the_rgaa_model(client):
    text = client.get("/accessibilite/").text
    for words in (
        "partiellement conforme",
        "RGAA), version 4.1",
        "Non-conformités",
        "Dérogations pour charge disproportionnée",
        "Retour d’information et contact",
        "Défenseur des droits",
    ):
        assert words in text, words


def test_the_legal_notice_reads_its_settings(client, settings):
    settings.LEGAL_EDITOR = "Ministère de l’Exemple"
    settings.LEGAL_PUBLICATION_DIRECTOR = "Jeanne Martin, directrice des ressources humaines"
    settings.LEGAL_HOST = "Hébergeur Souverain SAS"
    settings.LEGAL_HOST_ADDRESS = "2 rue des Serveurs, 59000 Lille"

    text = client.get("/mentions-legales/").text

    for words in (
        "Ministère de l’Exemple",
        "Jeanne Martin",
        "Hébergeur Souverain SAS",
        "59000 Lille",
    ):
        assert words in text


def test_the_contact_page_gives_the_address(client, settings):
    settings.CONTACT_EMAIL = "aide@exemple.gouv.fr"
    assert 'href="mailto:aide@exemple.gouv.fr"' in client.get("/contact/").text


def test_the_notice_runs_few_queries_whatever_the_number_of_employers(
    client, django_assert_max_num_queries
):
    Organisation.objects.bulk_create(
        Organisation(name=f"Employeur {n}", kind="ministere", versant="etat") for n in range(50)
    )
    with django_assert_max_num_queries(3):
        client.get("/donnees-personnelles/")

"""A person's account and passwords, and the agent's answer to a new leader, in Chromium."""

from django.urls import reverse
from playwright.sync_api import expect

from bpp.people.models import Role
from bpp.templatetags.french import elide
from cohorts.services import set_leaders
from tests.people.factories import RoleFactory


def test_the_account_page_shows_what_administrators_changed(world, login_as, assert_accessible):
    page = login_as(world.users["cmc"])

    page.goto("/conseiller/")
    page.locator("a.bpp-identity").first.click()  # the name in the header opens the account

    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    expect(page.get_by_text("Aucune modification pour l’instant.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Changer mon mot de passe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Changer mon mot de passe")
    assert_accessible(page)


def test_a_forgotten_password_is_asked_for_from_the_login_page(page, assert_accessible):
    page.goto("/connexion/")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    assert_accessible(page)

    page.get_by_label("Adresse électronique professionnelle").fill("inconnu@exemple.gouv.fr")
    page.get_by_role("button", name="Recevoir un lien").click()

    expect(page.get_by_text("Si cette adresse correspond à un compte")).to_be_visible()


def test_the_agent_accepts_a_leader_who_joined_after_the_opening(
    world, login_as, assert_accessible
):
    newcomer = RoleFactory(role=Role.CMC, organisation=world.organisation).user
    set_leaders(
        cohort=world.cohort, leaders=[world.users["cmc"], newcomer], by=world.users["hr_admin"]
    )
    page = login_as(world.users["enrolled_agent"])

    page.goto(reverse("synthesis:detail", args=[world.synthesis.pk]))
    expect(page.get_by_text("ne la lit pas tant que vous ne l’acceptez pas")).to_be_visible()
    assert_accessible(page)
    page.get_by_role(
        "button", name=f"Accepter {elide('que', newcomer.get_full_name())} lise ma synthèse"
    ).click()

    expect(page.get_by_text("peut désormais lire et co-écrire votre synthèse")).to_be_visible()

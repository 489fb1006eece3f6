"""The pages as a person sees them in Chromium: accessibility (axe-core), CSP, keyboard."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

ROLE_HOMES = {
    "agent": "/agent/",
    "manager": "/encadrement/",
    "hr": "/rh/",
    "cmc": "/conseiller/",
    "provider": "/prestataire/",
    "disability_officer": "/referent-handicap/",
    "hr_admin": "/administration-rh/",
}
# Violations found in our templates, to fix there; none is known today.
KNOWN_VIOLATIONS: dict[str, dict[str, str]] = {}


def test_an_agent_signs_in_through_the_form_and_lands_on_their_space(
    world, page, assert_accessible
):
    agent = world.users["agent"]
    page.goto("/connexion/")

    page.get_by_label("Adresse électronique professionnelle").fill(agent.email)
    page.get_by_label("Mot de passe").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page).to_have_url(re.compile(r"/agent/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {agent.first_name}")
    assert_accessible(page)


@pytest.mark.parametrize("persona", ROLE_HOMES)
def test_each_role_home_page_is_accessible(world, login_as, assert_accessible, persona):
    page = login_as(world.users[persona])

    response = page.goto(ROLE_HOMES[persona])

    assert response.status == 200
    assert_accessible(page, known=KNOWN_VIOLATIONS.get(persona))


def test_the_login_page_is_accessible(page, assert_accessible):
    page.goto("/connexion/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    assert_accessible(page)


def test_the_404_page_is_accessible(page, assert_accessible):
    response = page.goto("/nulle-part/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page non trouvée")
    assert_accessible(page)


def test_a_wrong_password_shows_an_accessible_error(world, page, assert_accessible):
    page.goto("/connexion/")

    page.get_by_label("Adresse électronique professionnelle").fill(world.users["agent"].email)
    page.get_by_label("Mot de passe").fill("mauvais mot de passe")
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_text("Adresse électronique ou mot de passe incorrect")).to_be_visible()
    assert_accessible(page)


def console_errors(page) -> list[str]:
    """The errors the page will log in its console (a blocked script too), or throw."""
    errors = []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    return errors


@pytest.mark.parametrize("persona", ["anonymous", "agent"])
def test_the_csp_lets_the_dsfr_javascript_run(world, page, login_as, csp_violations, persona):
    if world.users[persona] is not None:
        login_as(world.users[persona])
    errors = console_errors(page)

    page.goto("/")

    # DSFR 1.x marks <html data-fr-js="true"> once its script has started.
    expect(page.locator("html")).to_have_attribute("data-fr-js", "true")
    assert csp_violations(page) == []
    assert errors == []


def test_the_csp_checks_see_a_blocked_script(page, csp_violations, settings):
    """Control: with every script forbidden, the checks above do fail."""
    settings.SECURE_CSP = {**settings.SECURE_CSP, "script-src": ["'none'"]}
    errors = console_errors(page)

    page.goto("/connexion/")

    assert any(v.startswith("script-src-elem blocked") for v in csp_violations(page))
    assert any("Content Security Policy" in error for error in errors)
    assert page.locator("html").get_attribute("data-fr-js") is None


@pytest.mark.parametrize(
    "url",
    [
        "/connexion/",
        "/nulle-part/",
    ],
)
def test_the_first_tab_focuses_the_skip_link_to_the_content(page, url):
    page.goto(url)

    page.keyboard.press("Tab")

    expect(page.get_by_role("link", name="Contenu")).to_be_focused(timeout=1_000)


@pytest.mark.parametrize(
    "url", ["/donnees-personnelles/", "/accessibilite/", "/mentions-legales/", "/contact/"]
)
def test_the_pages_of_the_footer_are_accessible_to_everyone(world, page, assert_accessible, url):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)

    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

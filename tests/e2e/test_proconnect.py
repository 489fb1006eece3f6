"""
Sign-in with ProConnect in Chromium, through the real sign-in page, against a real OpenID
Connect provider (tests/proconnect_provider.py) started for the live server.
"""

import re

import pytest
from playwright.sync_api import expect

from bpp.people.models import ProConnectIdentity
from tests.proconnect_provider import PASSWORD, running_provider


@pytest.fixture(scope="module")
def provider(live_server):
    with running_provider(live_server.url) as provider:
        yield provider


@pytest.fixture
def proconnect_on(provider, settings):
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    # As bpp.settings does when PROCONNECT_ISSUER is set: the forms' redirects to it.
    settings.SECURE_CSP = settings.SECURE_CSP | {
        "form-action": [*settings.SECURE_CSP["form-action"], provider.issuer]
    }
    provider.misbehave(None)
    return provider


def test_an_agent_signs_in_with_proconnect_and_out_of_it(
    world, page, proconnect_on, assert_accessible, csp_violations
):
    agent = world.users["agent"]
    proconnect_on.accounts({"sub": "sub-agent", "email": agent.email.upper()})
    page.goto("/connexion/")
    assert_accessible(page)

    page.get_by_role("button", name="S’identifier avec ProConnect").click()
    # At the provider: its own login page.
    expect(page).to_have_url(re.compile(re.escape(proconnect_on.issuer)))
    page.get_by_label("Adresse électronique").fill(agent.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page).to_have_url(re.compile(r"/agent/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {agent.first_name}")
    assert ProConnectIdentity.objects.get(user=agent).sub == "sub-agent"

    page.get_by_role("button", name="Se déconnecter").first.click()
    # ProConnect's end of session (this provider asks to confirm), then our sign-in page.
    expect(page).to_have_url(re.compile(re.escape(proconnect_on.issuer) + "/session/end"))
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page).to_have_url(re.compile(r"/connexion/\?state=\w+$"))
    assert csp_violations(page) == []

    # Signed out at the provider too: ProConnect asks who is there again.
    page.get_by_role("button", name="S’identifier avec ProConnect").click()
    expect(page.get_by_label("Adresse électronique")).to_be_visible()


def test_an_unknown_address_reads_why_on_the_sign_in_page(world, page, proconnect_on):
    proconnect_on.accounts({"sub": "sub-inconnu", "email": "inconnu@exemple.gouv.fr"})
    page.goto("/connexion/")

    page.get_by_role("button", name="S’identifier avec ProConnect").click()
    page.get_by_label("Adresse électronique").fill("inconnu@exemple.gouv.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page).to_have_url(re.compile(r"/connexion/$"))
    expect(page.get_by_text("aucun compte de ce service ne correspond")).to_be_visible()

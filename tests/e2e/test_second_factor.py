"""The second factor of a password sign-in, in Chromium: enrolment, recovery codes, then
the verification at the next sign-in."""

import re
import time
from base64 import b32decode

from django.conf import settings
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect


def code_from_secret(secret: str, *, steps_ahead: int = 0) -> str:
    """What the person's application shows for the secret printed on the page."""
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def sign_in_with_password(page: Page, email: str) -> None:
    page.goto("/connexion/")
    page.get_by_label("Adresse électronique professionnelle").fill(email)
    page.get_by_label("Mot de passe").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_a_cmc_enrols_then_gives_a_code_at_the_next_sign_in(world, page, assert_holds):
    sign_in_with_password(page, world.users["cmc"].email)

    expect(page.get_by_role("heading", level=1)).to_have_text("Activer la double authentification")
    assert_holds(page, page.url)
    secret = page.locator("#cle-secrete").inner_text()
    page.get_by_label("Code à 6 chiffres affiché par l’application").fill(code_from_secret(secret))
    page.get_by_role("button", name="Activer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vos codes de secours")
    expect(page.get_by_text("Conservez ces codes")).to_be_visible()
    assert page.locator(".bpp-otp-codes li").count() == 10
    assert_holds(page, page.url)
    page.get_by_role("button", name="J’ai conservé mes codes, continuer").click()
    expect(page).to_have_url(re.compile(r"/conseiller/$"))

    page.context.clear_cookies()
    sign_in_with_password(page, world.users["cmc"].email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérification en deux étapes")
    assert_holds(page, page.url)
    # The code just used is spent: the application shows the next one.
    page.get_by_label("Code à 6 chiffres").fill(code_from_secret(secret, steps_ahead=1))
    page.get_by_role("button", name="Vérifier").click()
    expect(page).to_have_url(re.compile(r"/conseiller/$"))

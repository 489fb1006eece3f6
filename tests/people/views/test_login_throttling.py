"""
Sign-in throttling: five failures lock out the account, and the address, for a while.

The test client always comes from 127.0.0.1; another address is given as REMOTE_ADDR.
"""

import logging

import pytest
import time_machine
from django.urls import reverse

from tests.clock import paris
from tests.people.factories import AgentFactory

pytestmark = pytest.mark.django_db

LOCKED = "Connexion temporairement bloquée"


def sign_in(client, email: str, password: str, address: str = "127.0.0.1"):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture
def lea():
    return AgentFactory(user__email="lea.martin@exemple.gouv.fr").user


def test_five_failures_refuse_even_the_right_password_and_say_when_to_retry(client, lea):
    with time_machine.travel(paris(2026, 3, 2, 9, 0), tick=False):
        for _ in range(4):
            assert sign_in(client, lea.email, "mauvais").status_code == 200
        fifth = sign_in(client, lea.email, "mauvais")
        right = sign_in(client, lea.email, "demo-bpp-2026")

    assert fifth.status_code == 429
    assert right.status_code == 429
    assert LOCKED in right.text
    assert "pendant 15 minutes : réessayez après 09h15" in right.text
    assert "_auth_user_id" not in client.session


def test_the_lockout_ends_after_fifteen_minutes(client, lea):
    with time_machine.travel(paris(2026, 3, 2, 9, 0), tick=False):
        for _ in range(5):
            sign_in(client, lea.email, "mauvais")
    with time_machine.travel(paris(2026, 3, 2, 9, 16), tick=False):
        response = sign_in(client, lea.email, "demo-bpp-2026")

    assert response.status_code == 302


def test_the_case_of_the_address_does_not_make_another_account(client, lea):
    for email in ["LEA.martin@exemple.gouv.fr", "lea.MARTIN@exemple.gouv.fr"] * 3:
        sign_in(client, email, "mauvais")

    assert LOCKED in sign_in(client, lea.email, "demo-bpp-2026").text


def test_one_account_guessed_from_many_addresses_is_locked(client, lea):
    for n in range(5):
        sign_in(client, lea.email, "mauvais", address=f"203.0.113.{n}")

    response = sign_in(client, lea.email, "demo-bpp-2026", address="198.51.100.7")

    assert response.status_code == 429


def test_many_accounts_tried_from_one_address_lock_the_address(client, lea):
    for n in range(5):
        sign_in(client, f"inconnu{n}@exemple.gouv.fr", "mauvais", address="203.0.113.9")

    from_there = sign_in(client, lea.email, "demo-bpp-2026", address="203.0.113.9")
    from_elsewhere = sign_in(client, lea.email, "demo-bpp-2026", address="198.51.100.7")

    assert from_there.status_code == 429
    assert from_elsewhere.status_code == 302


def test_a_successful_sign_in_forgets_the_account_s_failures(client, lea):
    for _ in range(4):
        sign_in(client, lea.email, "mauvais")
    assert sign_in(client, lea.email, "demo-bpp-2026").status_code == 302
    client.post(reverse("logout"))

    for _ in range(4):
        assert sign_in(client, lea.email, "mauvais").status_code == 200
    assert sign_in(client, lea.email, "demo-bpp-2026").status_code == 302


def test_signing_in_to_one_s_own_account_does_not_clear_guesses_at_another(client, lea):
    mine = AgentFactory(user__email="moi@exemple.gouv.fr").user
    for _ in range(4):
        sign_in(client, lea.email, "mauvais")
    sign_in(client, mine.email, "demo-bpp-2026")
    client.post(reverse("logout"))

    assert sign_in(client, lea.email, "mauvais").status_code == 429


def test_a_lockout_is_logged(client, lea, caplog):
    with caplog.at_level(logging.WARNING, logger="bpp.people.login_throttling"):
        for _ in range(5):
            sign_in(client, lea.email, "mauvais")

    assert "Sign-in locked for 15 minutes after 5 failures" in caplog.text
    assert "lea.martin@exemple.gouv.fr" in caplog.text


def test_behind_a_proxy_the_address_it_saw_is_counted(client, lea, settings):
    settings.REVERSE_PROXY_COUNT = 1
    for n in range(5):
        # The browser writes what it likes on the left; the proxy appends the address.
        client.post(
            reverse("login"),
            {"username": f"inconnu{n}@exemple.gouv.fr", "password": "mauvais"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.9",
        )

    response = client.post(
        reverse("login"),
        {"username": lea.email, "password": "demo-bpp-2026"},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )

    assert response.status_code == 429

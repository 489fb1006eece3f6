import pytest
from django.urls import reverse

from tests.people.factories import AgentFactory

pytestmark = pytest.mark.django_db


def test_it_signs_in_by_email_whatever_the_case(client):
    agent = AgentFactory(user__email="lea.martin@exemple.gouv.fr")

    response = client.post(
        reverse("login"), {"username": "Lea.Martin@Exemple.gouv.fr", "password": "demo-bpp-2026"}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(agent.user.pk)


def test_a_wrong_password_says_so_in_french(client):
    AgentFactory(user__email="lea.martin@exemple.gouv.fr")

    response = client.post(
        reverse("login"), {"username": "lea.martin@exemple.gouv.fr", "password": "mauvais"}
    )

    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect" in response.text
    assert "_auth_user_id" not in client.session


def test_a_deactivated_account_cannot_sign_in(client):
    AgentFactory(user__email="parti@exemple.gouv.fr", user__is_active=False)

    response = client.post(
        reverse("login"), {"username": "parti@exemple.gouv.fr", "password": "demo-bpp-2026"}
    )

    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_it_returns_to_the_page_asked_for(client):
    AgentFactory(user__email="lea.martin@exemple.gouv.fr")

    response = client.post(
        reverse("login") + "?next=/agent/",
        {"username": "lea.martin@exemple.gouv.fr", "password": "demo-bpp-2026", "next": "/agent/"},
    )

    assert response.url == "/agent/"


def test_it_never_redirects_to_another_site(client):
    AgentFactory(user__email="lea.martin@exemple.gouv.fr")

    response = client.post(
        reverse("login"),
        {
            "username": "lea.martin@exemple.gouv.fr",
            "password": "demo-bpp-2026",
            "next": "https://pirate.example.com/",
        },
    )

    assert "pirate" not in response.url


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get("/agent/")

    assert response.status_code == 302
    assert response.url == "/connexion/?next=/agent/"


def test_a_huge_address_is_a_form_error(client):
    response = client.post(
        reverse("login"), {"username": "a" * 100_000 + "@exemple.gouv.fr", "password": "x"}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session

"""
Sign-in with ProConnect, against a real OpenID Connect provider (tests/proconnect_provider.py):
discovery, the authorization code flow with PKCE, the ID token's signature, nonce and state,
the binding of `sub`, and the sign-out at the provider. The application is Django's test
client; the provider is reached over real HTTP, by the application and by the "browser".
"""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.messages import get_messages
from django.urls import reverse

from bpp.people import proconnect
from bpp.people.models import AccountEvent, ProConnectIdentity, Role
from tests.people.factories import AgentFactory, RoleFactory, UserFactory
from tests.proconnect_provider import browse_to_callback, running_provider

# The provider signs its tokens at the machine's time: under the shifted clock of CI's
# second run (BPP_TEST_NOW), every token would be a year old.
pytestmark = [pytest.mark.django_db, pytest.mark.real_clock]

LEA = {"sub": "sub-lea-0001", "email": "Lea.Martin@exemple.gouv.fr", "given_name": "Léa"}


@pytest.fixture(scope="module")
def provider():
    with running_provider("http://testserver") as provider:
        yield provider


@pytest.fixture
def proconnect_on(provider, settings):
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    provider.accounts(LEA)
    provider.misbehave(None)
    return provider


def start(client) -> str:
    """Click the button: the authorization request the application sends the browser to."""
    response = client.get(reverse("proconnect_login"))
    assert response.status_code == 302
    return response["Location"]


def sign_in(client, browser=None, *, email=LEA["email"]):
    """The whole journey: the button, the provider's login page, back to the application."""
    callback = browse_to_callback(browser or requests.Session(), start(client), email=email)
    assert callback.startswith("http://testserver/connexion/proconnect/retour/")
    return client.get(callback.removeprefix("http://testserver"))


def error_message(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def test_it_reads_the_endpoints_from_the_discovery_document(proconnect_on):
    configuration = proconnect.provider_configuration()

    assert configuration["issuer"] == proconnect_on.issuer
    assert configuration["token_endpoint"] == f"{proconnect_on.issuer}/token"
    assert configuration["jwks_uri"] == f"{proconnect_on.issuer}/jwks"


def test_the_authorization_request_has_state_nonce_and_a_pkce_challenge(client, proconnect_on):
    url = start(client)

    assert url.startswith(f"{proconnect_on.issuer}/auth?")
    query = parse_qs(urlsplit(url).query)
    assert query["response_type"] == ["code"]
    assert query["scope"] == ["openid email given_name usual_name siret"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    assert query["redirect_uri"] == ["http://testserver/connexion/proconnect/retour/"]


def test_the_first_sign_in_finds_the_account_by_email_and_binds_sub(client, proconnect_on):
    agent = AgentFactory(user__email="lea.martin@exemple.gouv.fr")

    response = sign_in(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(agent.user.pk)
    identity = ProConnectIdentity.objects.get(user=agent.user)
    assert identity.sub == LEA["sub"]
    assert (identity.last_acr, identity.last_amr) == ("eidas1", ["pwd"])
    assert identity.last_sign_in_at is not None
    event = agent.user.account_events.get()
    assert event.kind == AccountEvent.Kind.PROCONNECT_BOUND


def test_later_sign_ins_find_the_account_by_sub_even_after_an_email_change(client, proconnect_on):
    agent = AgentFactory(user__email="lea.martin@exemple.gouv.fr")
    sign_in(client)
    client.logout()
    # Léa's address changes at ProConnect, and now names another account of ours.
    other = UserFactory(email="lea.dupont@exemple.gouv.fr")
    proconnect_on.accounts(LEA | {"email": "lea.dupont@exemple.gouv.fr"})

    sign_in(client, email="lea.dupont@exemple.gouv.fr")

    assert client.session["_auth_user_id"] == str(agent.user.pk)
    assert not ProConnectIdentity.objects.filter(user=other).exists()


def test_an_account_bound_to_another_sub_is_not_taken_over(client, proconnect_on):
    agent = AgentFactory(user__email="lea.martin@exemple.gouv.fr")
    ProConnectIdentity.objects.create(user=agent.user, sub="sub-de-la-vraie-lea")

    response = sign_in(client)

    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert "déjà associé à une autre identité ProConnect" in error_message(response)


def test_an_unknown_email_is_refused_with_a_french_message(client, proconnect_on):
    response = sign_in(client)

    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert "aucun compte de ce service ne correspond à l’adresse" in error_message(response)
    assert not ProConnectIdentity.objects.exists()
    page = client.get(reverse("login"))
    assert "aucun compte de ce service ne correspond" in page.text


def test_an_inactive_account_is_refused(client, proconnect_on):
    user = UserFactory(email="lea.martin@exemple.gouv.fr", is_active=False)

    response = sign_in(client)

    assert "_auth_user_id" not in client.session
    assert "Votre compte est désactivé" in error_message(response)
    assert not ProConnectIdentity.objects.filter(user=user).exists()


def test_an_account_deactivated_after_binding_is_refused(client, proconnect_on):
    user = UserFactory(email="lea.martin@exemple.gouv.fr", is_active=False)
    ProConnectIdentity.objects.create(user=user, sub=LEA["sub"])

    response = sign_in(client)

    assert "_auth_user_id" not in client.session
    assert "Votre compte est désactivé" in error_message(response)


def test_a_token_altered_after_signing_is_refused(client, proconnect_on):
    AgentFactory(user__email="lea.martin@exemple.gouv.fr")
    proconnect_on.misbehave("signature")

    response = sign_in(client)

    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert "La connexion avec ProConnect n’a pas abouti" in error_message(response)


def test_a_token_checked_against_another_key_is_refused(client, proconnect_on, settings):
    AgentFactory(user__email="lea.martin@exemple.gouv.fr")
    # Another provider's keys (same key id, another key): the signature does not hold.
    with running_provider("http://testserver") as impostor:
        configuration = proconnect.provider_configuration()
        proconnect._discovered[proconnect_on.issuer] = configuration | {
            "jwks_uri": f"{impostor.issuer}/jwks"
        }
        try:
            response = sign_in(client)
        finally:
            proconnect._discovered.pop(proconnect_on.issuer)

    assert "_auth_user_id" not in client.session
    assert "La connexion avec ProConnect n’a pas abouti" in error_message(response)


def test_a_token_for_another_nonce_is_refused(client, proconnect_on):
    AgentFactory(user__email="lea.martin@exemple.gouv.fr")
    proconnect_on.misbehave("nonce")

    response = sign_in(client)

    assert "_auth_user_id" not in client.session
    assert "La connexion avec ProConnect n’a pas abouti" in error_message(response)


def test_a_token_for_another_client_is_refused(client, proconnect_on):
    AgentFactory(user__email="lea.martin@exemple.gouv.fr")
    proconnect_on.misbehave("audience")

    response = sign_in(client)

    assert "_auth_user_id" not in client.session
    assert "La connexion avec ProConnect n’a pas abouti" in error_message(response)


def test_an_answer_with_another_state_is_refused(client, proconnect_on):
    AgentFactory(user__email="lea.martin@exemple.gouv.fr")
    callback = browse_to_callback(requests.Session(), start(client), email=LEA["email"])
    query = parse_qs(urlsplit(callback).query)

    response = client.get(
        reverse("proconnect_callback"), {"code": query["code"][0], "state": "pas-le-bon"}
    )

    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert "La connexion avec ProConnect n’a pas abouti" in error_message(response)


def test_a_code_cannot_be_used_twice(client, proconnect_on):
    AgentFactory(user__email="lea.martin@exemple.gouv.fr")
    callback = browse_to_callback(requests.Session(), start(client), email=LEA["email"])
    client.get(callback.removeprefix("http://testserver"))
    client.logout()

    response = client.get(callback.removeprefix("http://testserver"))

    assert "_auth_user_id" not in client.session
    assert response["Location"] == reverse("login")


def test_a_single_factor_sign_in_asks_our_second_factor_of_whoever_needs_two(client, proconnect_on):
    manager = RoleFactory(role=Role.MANAGER, user__email="lea.martin@exemple.gouv.fr").user
    assert manager.needs_second_factor

    sign_in(client)

    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("second_factor_enrol"))


def test_a_multi_factor_sign_in_is_not_asked_our_second_factor(client, proconnect_on):
    RoleFactory(role=Role.MANAGER, user__email="lea.martin@exemple.gouv.fr")
    proconnect_on.accounts(LEA | {"acr": "eidas2", "amr": ["pwd", "otp", "mfa"]})

    sign_in(client)

    response = client.get(reverse("home"))
    assert not response["Location"].startswith(reverse("second_factor_enrol"))
    assert not response["Location"].startswith(reverse("second_factor_verify"))


def test_signing_out_ends_the_session_at_proconnect(client, proconnect_on):
    AgentFactory(user__email="lea.martin@exemple.gouv.fr")
    browser = requests.Session()
    sign_in(client, browser)

    response = client.post(reverse("logout"))

    assert "_auth_user_id" not in client.session
    end_session = response["Location"]
    assert end_session.startswith(f"{proconnect_on.issuer}/session/end?")
    query = parse_qs(urlsplit(end_session).query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/connexion/"]
    assert query["id_token_hint"]
    # The provider asks to confirm, then sends the browser back to our sign-in page.
    page = browser.get(end_session)
    form = page.text.split('id="op.logoutForm"', 1)[1]
    action = form.split('action="', 1)[1].split('"', 1)[0]
    xsrf = form.split('name="xsrf" value="', 1)[1].split('"', 1)[0]
    back = browser.post(
        requests.compat.urljoin(end_session, action),
        data={"xsrf": xsrf, "logout": "yes"},
        allow_redirects=False,
    )
    assert back.headers["Location"].startswith("http://testserver/connexion/")
    # Signed out at the provider: the next sign-in shows its login page again.
    again = browser.get(start(client), allow_redirects=True)
    assert 'name="email"' in again.text


def test_signing_out_of_a_password_session_stays_here(client, proconnect_on):
    agent = AgentFactory()
    client.force_login(agent.user)

    response = client.post(reverse("logout"))

    assert response["Location"] == reverse("login")


def test_the_login_page_shows_the_button(client, proconnect_on):
    response = client.get(reverse("login"))

    assert "S’identifier avec" in response.text
    assert '<span class="fr-connect__brand">ProConnect</span>' in response.text
    assert "Qu’est-ce que ProConnect ?" in response.text


def test_without_configuration_no_button_and_no_urls(client, settings):
    settings.PROCONNECT_ISSUER = ""

    assert "ProConnect" not in client.get(reverse("login")).text
    assert client.get(reverse("proconnect_login")).status_code == 404
    assert client.get(reverse("proconnect_callback")).status_code == 404


def test_an_unreachable_provider_is_said_in_french(client, settings, proconnect_on):
    settings.PROCONNECT_ISSUER = "http://127.0.0.1:9"  # nothing listens there

    response = client.get(reverse("proconnect_login"))

    assert response["Location"] == reverse("login")
    assert "ProConnect ne répond pas pour le moment" in error_message(response)


def test_a_password_sign_in_does_not_read_the_discovery_document(client, settings):
    settings.PROCONNECT_ISSUER = "http://127.0.0.1:9"
    settings.PROCONNECT_CLIENT_ID = "client"
    settings.PROCONNECT_CLIENT_SECRET = "secret"
    agent = AgentFactory(user__email="lea.martin@exemple.gouv.fr")

    client.post(reverse("login"), {"username": agent.user.email, "password": "demo-bpp-2026"})

    assert client.session["_auth_user_id"] == str(agent.user.pk)


def test_a_locked_out_address_cannot_sign_in_with_proconnect_either(client, proconnect_on):
    agent = AgentFactory(user__email="lea.martin@exemple.gouv.fr")
    for _ in range(5):
        client.post(reverse("login"), {"username": agent.user.email, "password": "mauvais"})

    response = sign_in(client)

    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.text
    assert "_auth_user_id" not in client.session


def test_the_hr_admin_unbinds_a_proconnect_identity(client, proconnect_on):
    admin_user = RoleFactory(role=Role.HR_ADMIN).user
    organisation = admin_user.role_assignments.get().organisation
    person = AgentFactory(organisation=organisation, service__organisation=organisation).user
    ProConnectIdentity.objects.create(user=person, sub="sub-lie-par-erreur")
    client.force_login(admin_user)

    client.post(
        reverse("admin:people_user_changelist"),
        {"action": "unbind_proconnect", "_selected_action": [person.pk]},
    )

    assert not ProConnectIdentity.objects.filter(user=person).exists()
    event = person.account_events.get()
    assert event.kind == AccountEvent.Kind.PROCONNECT_UNBOUND and event.by == admin_user

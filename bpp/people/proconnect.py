"""
Sign-in with ProConnect, the State's OpenID Connect provider for civil servants, through
mozilla-django-oidc (authorization code with PKCE, state and nonce, signatures checked
with the provider's keys).

Configured by PROCONNECT_ISSUER, PROCONNECT_CLIENT_ID and PROCONNECT_CLIENT_SECRET only:
the endpoints come from the issuer's discovery document, read once per process. Without
them, no button and no URL (404).

Accounts come from HR: a ProConnect sign-in never creates one. The first one finds the
person by e-mail and binds ProConnect's `sub` to them; later ones find them by `sub` only.
"""

import json
import logging

import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.http import urlencode
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import absolutify, import_from_settings

from bpp.people.models import AccountEvent, ProConnectIdentity, User

logger = logging.getLogger(__name__)

FAILED = (
    "La connexion avec ProConnect n’a pas abouti. Réessayez ; si le problème persiste, "
    "connectez-vous avec votre adresse électronique et votre mot de passe."
)
UNAVAILABLE = (
    "ProConnect ne répond pas pour le moment. Réessayez dans quelques minutes, ou "
    "connectez-vous avec votre adresse électronique et votre mot de passe."
)


class Unavailable(Exception):
    """ProConnect's discovery document could not be read."""


class Refused(Exception):
    """ProConnect vouched for someone this service does not let in; the message tells
    them why, in French."""


def is_enabled() -> bool:
    return bool(
        settings.PROCONNECT_ISSUER
        and settings.PROCONNECT_CLIENT_ID
        and settings.PROCONNECT_CLIENT_SECRET
    )


# Discovery ------------------------------------------------------------------------------

_REQUIRED_ENDPOINTS = {"authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri"}
_discovered: dict[str, dict] = {}  # issuer → its discovery document, for the process's life


def provider_configuration() -> dict:
    """The issuer's discovery document, fetched on first use. Raises Unavailable."""
    issuer = settings.PROCONNECT_ISSUER
    if issuer not in _discovered:
        url = issuer + "/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            raise Unavailable(f"{url}: {error}") from error
        if not isinstance(document, dict) or _REQUIRED_ENDPOINTS - document.keys():
            raise Unavailable(f"{url}: not a discovery document")
        # OpenID Connect Discovery §4.3: the document must name the issuer it was read from.
        if str(document.get("issuer", "")).rstrip("/") != issuer:
            raise Unavailable(f"{url}: names issuer {document.get('issuer')!r}")
        _discovered[issuer] = document
    return _discovered[issuer]


_FROM_SETTINGS = {
    "OIDC_RP_CLIENT_ID": "PROCONNECT_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET": "PROCONNECT_CLIENT_SECRET",
    "OIDC_RP_SCOPES": "PROCONNECT_SCOPES",
    "OIDC_RP_SIGN_ALGO": "PROCONNECT_SIGN_ALGO",
}
_FROM_DISCOVERY = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
# ProConnect gives `amr` (how the person authenticated) only when asked for it.
_CLAIMS_REQUEST = json.dumps({"id_token": {"amr": {"essential": True}, "acr": None}})


def oidc_setting(name: str, *default):
    """What mozilla-django-oidc reads, its provider's part from PROCONNECT_* and discovery."""
    if name in _FROM_SETTINGS:
        return getattr(settings, _FROM_SETTINGS[name])
    if name in _FROM_DISCOVERY:
        return provider_configuration()[_FROM_DISCOVERY[name]]
    if name == "OIDC_AUTH_REQUEST_EXTRA_PARAMS":
        return {"claims": _CLAIMS_REQUEST}
    return import_from_settings(name, *default)


# Who signs in ---------------------------------------------------------------------------


def sign_in(*, sub: str, email: str, acr: str, amr: list[str]) -> User:
    """The person ProConnect vouched for as `sub`: found by `sub`, or by e-mail the first
    time (then bound to `sub`). Records how they authenticated. Raises Refused."""
    now = timezone.now()
    try:
        with transaction.atomic():
            identity = (
                ProConnectIdentity.objects.select_for_update()
                .select_related("user")
                .filter(sub=sub)
                .first()
            )
            if identity is None:
                identity = _bind(sub=sub, email=email, now=now)
            if not identity.user.is_active:
                raise Refused(
                    "Votre compte est désactivé : vous ne pouvez plus vous connecter à ce "
                    "service. Adressez-vous à votre service des ressources humaines."
                )
            identity.last_sign_in_at = now
            identity.last_acr = acr
            identity.last_amr = amr
            identity.save(update_fields=["last_sign_in_at", "last_acr", "last_amr"])
    except IntegrityError as error:
        # The same first sign-in in two tabs at once: one binds, the other tries again.
        raise Refused(FAILED) from error
    return identity.user


def _bind(*, sub: str, email: str, now) -> ProConnectIdentity:
    users = list(User.objects.filter(email__iexact=email.strip())[:2]) if email.strip() else []
    if len(users) != 1:
        raise Refused(
            f"ProConnect vous a bien identifié, mais aucun compte de ce service ne "
            f"correspond à l’adresse {email or '(aucune adresse transmise)'}. Les comptes "
            f"sont ouverts par votre service des ressources humaines : demandez-lui d’en "
            f"ouvrir un à cette adresse."
        )
    user = users[0]
    if not user.is_active:
        return ProConnectIdentity(user=user, sub=sub)  # refused by the caller, not bound
    if ProConnectIdentity.objects.filter(user=user).exists():
        raise Refused(
            f"Le compte à l’adresse {email} est déjà associé à une autre identité "
            f"ProConnect. Connectez-vous avec celle-ci, ou demandez à votre service des "
            f"ressources humaines de vérifier votre compte."
        )
    identity = ProConnectIdentity.objects.create(user=user, sub=sub, bound_at=now)
    AccountEvent.objects.create(
        user=user,
        kind=AccountEvent.Kind.PROCONNECT_BOUND,
        detail=f"Première connexion avec ProConnect ({email})",
        at=now,
    )
    return identity


def is_multi_factor(identity: ProConnectIdentity) -> bool:
    """Whether ProConnect says the last sign-in took two factors."""
    return "mfa" in identity.last_amr or identity.last_acr in settings.PROCONNECT_MULTI_FACTOR_ACR


class ProConnectBackend(OIDCAuthenticationBackend):
    """Authenticate ProConnect's callback (and nothing else: it needs its nonce)."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # Django builds the backends for every sign-in, by password too: the parent's
        # reading of the endpoints (discovery) waits for a ProConnect callback.
        self.UserModel = User

    def authenticate(self, request, **kwargs):
        if request is None or "nonce" not in kwargs or not is_enabled():
            return None
        super().__init__()
        return super().authenticate(request, **kwargs)

    def get_or_create_user(self, access_token, id_token, payload):
        # The library checked the ID token's signature, expiry and nonce, not for whom it
        # was made: one of another issuer, or for another client, is refused.
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if str(payload.get("iss", "")).rstrip("/") != settings.PROCONNECT_ISSUER:
            raise SuspiciousOperation("ID token from another issuer")
        if settings.PROCONNECT_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client")
        # ProConnect signs its userinfo answer (application/jwt): the library checks it too.
        claims = self.get_userinfo(access_token, id_token, payload)
        if not payload.get("sub") or claims.get("sub") != payload["sub"]:
            raise SuspiciousOperation("userinfo about another subject than the ID token")
        amr = payload.get("amr") or []
        return sign_in(
            sub=str(payload["sub"]),
            email=str(claims.get("email") or ""),
            acr=str(payload.get("acr") or "")[:255],
            amr=[str(method) for method in amr] if isinstance(amr, list) else [],
        )


# Signing out ----------------------------------------------------------------------------


def sign_out_url(request: HttpRequest) -> str:
    """Where signing out leads: through ProConnect's end of session for a session opened
    with it, or ProConnect would sign the person in again at their next click."""
    after = resolve_url(settings.LOGOUT_REDIRECT_URL)
    id_token = request.session.get("oidc_id_token")
    if not id_token or not is_enabled():
        return after
    try:
        endpoint = provider_configuration()["end_session_endpoint"]
    except (Unavailable, KeyError) as error:
        logger.warning("ProConnect session not ended (no end_session_endpoint): %s", error)
        return after
    return (
        endpoint
        + "?"
        + urlencode(
            {
                "id_token_hint": id_token,
                "state": get_random_string(32),
                "post_logout_redirect_uri": absolutify(request, reverse("login")),
            }
        )
    )

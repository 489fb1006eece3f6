"""The signing secrets: encrypted at rest with SYNTHESIS_KEYS, re-encrypted on rotation."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from tests.webhooks.factories import EndpointFactory

pytestmark = pytest.mark.django_db


def test_a_secret_is_stored_encrypted():
    endpoint = EndpointFactory()

    assert endpoint.secret.startswith("whsec_")
    assert endpoint.secret.removeprefix("whsec_") not in endpoint.sealed_secret


def test_secrets_are_re_encrypted_with_the_new_key(settings):
    endpoint = EndpointFactory()
    secret = endpoint.secret
    settings.SYNTHESIS_KEYS = [Fernet.generate_key().decode(), *settings.SYNTHESIS_KEYS]

    call_command("rotate_webhook_secrets", stdout=io.StringIO())

    settings.SYNTHESIS_KEYS = settings.SYNTHESIS_KEYS[:1]  # the old key removed
    endpoint.refresh_from_db()
    assert endpoint.secret == secret

"""The signature, checked by an independent implementation (the Standard Webhooks library)."""

import datetime

import pytest
import time_machine
from standardwebhooks import Webhook, WebhookVerificationError

from bpp.webhooks import signing
from bpp.webhooks.models import new_secret
from tests.clock import paris

AT = paris(2027, 3, 1, 0, 5)
BODY = b'{"type":"request.decided","data":{"request_id":12,"status":"acceptee"}}'


def signed(secret: str, at: datetime.datetime = AT) -> dict:
    return signing.headers(secret, message_id="msg_1", at=at, body=BODY)


@time_machine.travel(AT, tick=False)
def test_the_standard_webhooks_library_verifies_our_signature():
    secret = new_secret()

    assert Webhook(secret).verify(BODY, signed(secret))["data"]["request_id"] == 12


@time_machine.travel(AT, tick=False)
def test_another_secret_does_not_verify():
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(BODY, signed(new_secret()))


@time_machine.travel(AT, tick=False)
def test_the_timestamp_is_signed():
    secret = new_secret()
    headers = signed(secret)
    headers["webhook-timestamp"] = str(int(headers["webhook-timestamp"]) + 1)

    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        Webhook(secret).verify(BODY, headers)


@time_machine.travel(AT, tick=False)
def test_an_old_message_is_refused_by_the_receiver():
    secret = new_secret()

    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY, signed(secret, AT - datetime.timedelta(minutes=10)))


@time_machine.travel(AT, tick=False)
def test_the_body_is_signed():
    secret = new_secret()

    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY.replace(b"12", b"13"), signed(secret))


def test_the_scheme_is_the_documented_one():
    """HMAC-SHA256 over "id.timestamp.body" with the decoded secret, in base64 after "v1,"."""
    secret = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    # The library reads the time as UTC whatever its zone: it is given in UTC.
    at = AT.astimezone(datetime.UTC)
    expected = Webhook(secret).sign("msg_p5jXN8AQM9LWM0D4loKWxJek", at, BODY.decode())

    assert (
        signing.signature(
            secret,
            message_id="msg_p5jXN8AQM9LWM0D4loKWxJek",
            timestamp=int(AT.timestamp()),
            body=BODY,
        )
        == expected
    )

"""
The signature of a webhook, as the Standard Webhooks specification writes it
(https://www.standardwebhooks.com/), so that its libraries verify ours:

    webhook-id:        the delivery's message id (the same on every attempt)
    webhook-timestamp: the attempt's time, in seconds since the epoch
    webhook-signature: "v1," + base64(HMAC-SHA256(key, f"{id}.{timestamp}.{body}"))

where `key` is the secret without its "whsec_" prefix, base64-decoded. The timestamp
is signed: a receiver refuses an old one (5 minutes is usual), so that a captured
request cannot be replayed later.
"""

import base64
import datetime
import hashlib
import hmac

SECRET_PREFIX = "whsec_"


def signature(secret: str, *, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.digest(key, signed, hashlib.sha256)).decode()


def headers(secret: str, *, message_id: str, at: datetime.datetime, body: bytes) -> dict:
    """The headers of one attempt posted at `at`."""
    timestamp = int(at.timestamp())
    return {
        "Content-Type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(
            secret, message_id=message_id, timestamp=timestamp, body=body
        ),
    }

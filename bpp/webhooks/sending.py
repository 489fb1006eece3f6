"""
Post the deliveries that are due, from the worker (`manage.py db_worker`).

Each delivery is taken with SELECT … FOR UPDATE SKIP LOCKED and posted while its row is
locked: two workers never send the same one, and one sweep skips what another is
sending. An attempt fails on anything but a 2xx answer within TIMEOUT seconds (a
redirect included: it is not followed); the delivery is then tried again later
(`models.RETRY_DELAYS`), with a task queued for that time, and so are the endpoint's other
due deliveries: an endpoint that is down costs the worker (which sends the e-mails too)
one timeout per retry, not one per delivery.
"""

import datetime
import ipaddress
import json
import socket
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from bpp.webhooks import signing
from bpp.webhooks.models import RETRY_DELAYS, Delivery

TIMEOUT = 5  # seconds
# A sweep sends at most this many deliveries, then queues the next sweep.
SWEEP_LIMIT = 500
USER_AGENT = "bpp-webhooks/1"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # urllib then raises HTTPError with the 3xx code


_opener = urllib.request.build_opener(_NoRedirects)


def _is_internal(url: str) -> bool:
    """Whether the host resolves to an address of this machine or of a private network: an
    employer's endpoint never does, and posting there would let a back-office user reach
    what the server alone can (its cloud metadata, internal services)."""
    try:
        found = socket.getaddrinfo(urllib.parse.urlsplit(url).hostname, None)
    except (OSError, UnicodeError):
        return False  # urllib reports the failure
    return any(not ipaddress.ip_address(info[4][0].split("%")[0]).is_global for info in found)


def post(url: str, body: bytes, headers: dict) -> tuple[int | None, str]:
    """POST `body`; the HTTP status (None without an answer) and what went wrong, if anything."""
    if not settings.WEBHOOKS_ALLOW_HTTP and _is_internal(url):
        return None, "Adresse d’un réseau interne : envoi refusé."
    request = urllib.request.Request(
        url, data=body, headers=headers | {"User-Agent": USER_AGENT}, method="POST"
    )
    try:
        with _opener.open(request, timeout=TIMEOUT) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}"
    except urllib.error.URLError as error:
        return None, str(error.reason)
    except (OSError, ValueError) as error:  # timeouts, resets, a malformed address
        return None, str(error) or type(error).__name__


def attempt(delivery: Delivery, *, now: datetime.datetime) -> None:
    """Post `delivery` once, signed for this attempt, and record the outcome."""
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()
    headers = signing.headers(
        delivery.endpoint.secret, message_id=delivery.message_id, at=now, body=body
    )
    status_code, error = post(delivery.endpoint.url, body, headers)
    delivery.record_attempt(now=now, status_code=status_code, error=error)
    if delivery.status == Delivery.Status.SUCCEEDED:
        return
    later = delivery.next_attempt_at or now + RETRY_DELAYS[-1]
    Delivery.objects.due(now).filter(endpoint_id=delivery.endpoint_id).update(next_attempt_at=later)
    wake_worker(at=later)


def send_due(*, limit: int = SWEEP_LIMIT) -> int:
    """Send the due deliveries, one transaction each; how many were sent."""
    for sent in range(limit):
        with transaction.atomic():
            now = timezone.now()
            delivery = (
                Delivery.objects.due(now)
                .filter(endpoint__active=True)  # a paused endpoint gets them when resumed
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("endpoint")
                .order_by("next_attempt_at", "pk")
                .first()
            )
            if delivery is None:
                return sent
            attempt(delivery, now=now)
    wake_worker()  # more may be due: the next sweep goes on, another worker may take it
    return limit


@task
def send_due_deliveries() -> int:
    return send_due()


def wake_worker(at: datetime.datetime | None = None) -> None:
    """Queue a sweep, at `at` or at once: in the database queue, so in the current
    transaction, with the deliveries it is for."""
    sweep = send_due_deliveries.using(run_after=at) if at else send_due_deliveries
    sweep.enqueue()

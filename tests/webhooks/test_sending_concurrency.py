"""
Two workers sweeping at once post each delivery once.

The control test runs the same race against a naive sweep (read the due deliveries, then
post them), to prove that this test does detect double sending.
PostgreSQL only: SQLite serialises writes and ignores row locks.
"""

from collections import Counter

from django.utils import timezone

from bpp.webhooks import events, sending
from bpp.webhooks.models import Delivery, Event
from tests.concurrency import POSTGRESQL_ONLY, in_parallel
from tests.webhooks.factories import EndpointFactory

pytestmark = POSTGRESQL_ONLY

DELIVERIES = 20


def race(sweep, receiver) -> Counter:
    endpoint = EndpointFactory(url=receiver.url, secret=receiver.secret)
    events.record(
        Event.REQUEST_DECIDED,
        [(endpoint.organisation_id, {"request_id": n}) for n in range(DELIVERIES)],
    )
    in_parallel(sweep, sweep)
    return Counter(r.headers["webhook-id"] for r in receiver.received)


def test_two_workers_post_each_delivery_once(receiver):
    posted = race(sending.send_due, receiver)

    assert len(posted) == DELIVERIES
    assert set(posted.values()) == {1}
    assert not Delivery.objects.exclude(status=Delivery.Status.SUCCEEDED).exists()


def naive_sweep() -> None:
    """What a careless worker does: read what is due, then post it."""
    for delivery in list(Delivery.objects.due(timezone.now()).select_related("endpoint")):
        sending.attempt(delivery, now=timezone.now())


def test_control_a_naive_sweep_posts_twice(receiver):
    posted = race(naive_sweep, receiver)

    assert max(posted.values()) > 1, "no delivery was posted twice: the test proves nothing"

"""
Record the events that the employers' endpoints listen to: one delivery per endpoint and
event, written set by set (one query for the endpoints, one INSERT per thousand rows),
with the worker's task queued in the same transaction.
"""

import datetime
import itertools
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from bpp.webhooks import sending
from bpp.webhooks.models import Delivery, Endpoint, Event

# How many request ids one delivery of a set-based event (implicit rejections) names.
IDS_PER_DELIVERY = 1000
INSERT_BATCH = 1000


def listening_organisations(event: str) -> set[int]:
    """The employers with an active endpoint listening to `event` (often none: one query)."""
    return {
        endpoint.organisation_id
        for endpoint in Endpoint.objects.filter(active=True).only("organisation", "events")
        if event in endpoint.events
    }


def payload(event: str, data: dict, now: datetime.datetime) -> dict:
    """The JSON posted, in the Standard Webhooks shape: ids and states only."""
    return {"type": event, "timestamp": now.isoformat(), "data": data}


@transaction.atomic
def record(
    event: str, rows: list[tuple[int, dict]], *, now: datetime.datetime | None = None
) -> list[Delivery]:
    """Queue `event` for the listening endpoints of each (employer id, data) of `rows`."""
    if not rows:
        return []
    now = now or timezone.now()
    endpoints = defaultdict(list)
    for endpoint in Endpoint.objects.listening_to(event, {org for org, _ in rows}):
        endpoints[endpoint.organisation_id].append(endpoint)
    deliveries = Delivery.objects.bulk_create(
        (
            Delivery(
                endpoint=endpoint,
                event=event,
                payload=payload(event, data, now),
                next_attempt_at=now,
                created_at=now,
            )
            for organisation, data in rows
            for endpoint in endpoints[organisation]
        ),
        batch_size=INSERT_BATCH,
    )
    if deliveries:
        sending.wake_worker()
    return deliveries


def record_set(
    event: str, status: str, ids_by_organisation: dict[int, list[int]], **options
) -> list[Delivery]:
    """Queue an event about many requests: each delivery names up to IDS_PER_DELIVERY."""
    rows = [
        (
            organisation,
            {"organisation_id": organisation, "request_ids": list(chunk), "status": status},
        )
        for organisation, ids in sorted(ids_by_organisation.items())
        for chunk in itertools.batched(ids, IDS_PER_DELIVERY)
    ]
    return record(event, rows, **options)


def send_test_event(endpoint: Endpoint, *, now: datetime.datetime | None = None) -> Delivery:
    """A ping to one endpoint, whatever the events it chose (from the back office)."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.create(
            endpoint=endpoint,
            event=Event.PING,
            payload=payload(Event.PING, {"endpoint_id": endpoint.pk}, now),
            next_attempt_at=now,
            created_at=now,
        )
        sending.wake_worker()
    return delivery

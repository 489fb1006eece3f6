"""Deliveries posted by the worker to a real receiver on this machine, which verifies each
signature with the Standard Webhooks library; retried with backoff until they succeed."""

import datetime
import io
import socket

import pytest
import time_machine
from django.core.management import call_command

from bpp.webhooks import events
from bpp.webhooks.models import MAX_ATTEMPTS, Delivery, Event
from tests.clock import paris
from tests.webhooks.factories import EndpointFactory

pytestmark = pytest.mark.django_db

START = paris(2027, 3, 1, 0, 5)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def decided(endpoint) -> Delivery:
    [delivery] = events.record(
        Event.REQUEST_DECIDED,
        [(endpoint.organisation_id, {"request_id": 7, "organisation_id": 1, "status": "acceptee"})],
    )
    return delivery


def stored(delivery: Delivery) -> Delivery:
    delivery.refresh_from_db()
    return delivery


def test_it_posts_a_signed_event_that_the_receiver_verifies(receiver, clock, django_tasks):
    delivery = decided(EndpointFactory(url=receiver.url, secret=receiver.secret))

    django_tasks.run()

    [received] = receiver.received
    assert received.verified
    assert received.payload == delivery.payload
    assert received.headers["webhook-id"] == delivery.message_id
    assert received.headers["webhook-timestamp"] == str(int(START.timestamp()))
    assert stored(delivery).status == Delivery.Status.SUCCEEDED
    assert delivery.delivered_at == START
    assert delivery.last_status_code == 204


def test_a_failed_attempt_is_retried_after_the_backoff(receiver, clock, django_tasks):
    receiver.answers = [500]
    delivery = decided(EndpointFactory(url=receiver.url, secret=receiver.secret))

    django_tasks.run()
    assert stored(delivery).status == Delivery.Status.PENDING
    assert (delivery.attempts, delivery.last_status_code) == (1, 500)
    assert delivery.next_attempt_at == START + datetime.timedelta(minutes=1)

    clock.shift(datetime.timedelta(seconds=59))
    django_tasks.run()
    assert len(receiver.received) == 1  # not before its time

    clock.shift(datetime.timedelta(seconds=1))
    django_tasks.run()

    assert stored(delivery).status == Delivery.Status.SUCCEEDED
    assert delivery.attempts == 2
    first, second = receiver.received
    assert first.verified and second.verified
    assert first.headers["webhook-id"] == second.headers["webhook-id"]  # one event, twice
    assert int(second.headers["webhook-timestamp"]) - int(first.headers["webhook-timestamp"]) == 60
    assert [(a.status_code, a.error) for a in delivery.attempt_log.all()] == [
        (500, "HTTP 500"),
        (204, ""),
    ]


def test_an_endpoint_that_fails_is_tried_once_per_retry_not_once_per_delivery(
    receiver, clock, django_tasks
):
    receiver.answers = [500, 500]
    endpoint = EndpointFactory(url=receiver.url, secret=receiver.secret)
    first, second = decided(endpoint), decided(endpoint)

    django_tasks.run()

    assert len(receiver.received) == 1
    retry = START + datetime.timedelta(minutes=1)
    assert stored(first).next_attempt_at == stored(second).next_attempt_at == retry
    assert first.attempts + second.attempts == 1
    clock.shift(datetime.timedelta(minutes=1))
    django_tasks.run()
    assert len(receiver.received) == 2  # failed again: the other waits 5 more minutes
    clock.shift(datetime.timedelta(minutes=5))
    django_tasks.run()
    assert {stored(first).status, stored(second).status} == {Delivery.Status.SUCCEEDED}


def test_after_the_last_attempt_the_delivery_failed(receiver, clock, django_tasks):
    receiver.answers = [503] * MAX_ATTEMPTS
    delivery = decided(EndpointFactory(url=receiver.url, secret=receiver.secret))

    for delay in [0, 60, 5 * 60, 30 * 60, 2 * 3600, 12 * 3600]:
        clock.shift(datetime.timedelta(seconds=delay))
        django_tasks.run()

    assert len(receiver.received) == MAX_ATTEMPTS
    assert stored(delivery).status == Delivery.Status.FAILED
    assert delivery.next_attempt_at is None
    clock.shift(datetime.timedelta(days=2))
    django_tasks.run()
    assert len(receiver.received) == MAX_ATTEMPTS


def test_a_redirect_is_not_followed(receiver, clock, django_tasks):
    receiver.answers = [302]
    receiver.redirect_to = receiver.url + "/ailleurs"
    delivery = decided(EndpointFactory(url=receiver.url, secret=receiver.secret))

    django_tasks.run()

    assert len(receiver.received) == 1
    assert stored(delivery).status == Delivery.Status.PENDING
    assert delivery.last_status_code == 302


def test_an_endpoint_that_does_not_answer_is_retried(clock, django_tasks, settings):
    settings.WEBHOOKS_ALLOW_HTTP = True
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    delivery = decided(EndpointFactory(url=f"http://127.0.0.1:{port}/webhooks"))

    django_tasks.run()

    assert stored(delivery).status == Delivery.Status.PENDING
    assert delivery.last_status_code is None
    assert delivery.last_error
    assert delivery.attempts == 1


@pytest.mark.parametrize(
    "url", ["https://127.0.0.1/webhooks", "https://localhost/webhooks", "https://10.1.2.3/h"]
)
def test_an_internal_address_is_refused_in_production(clock, django_tasks, settings, url):
    settings.WEBHOOKS_ALLOW_HTTP = False
    delivery = decided(EndpointFactory(url=url))

    django_tasks.run()

    assert stored(delivery).last_error == "Adresse d’un réseau interne : envoi refusé."
    assert delivery.status == Delivery.Status.PENDING


def test_a_paused_endpoint_gets_nothing(receiver, clock, django_tasks):
    delivery = decided(EndpointFactory(url=receiver.url, secret=receiver.secret))
    delivery.endpoint.active = False
    delivery.endpoint.save()

    django_tasks.run()

    assert receiver.received == []
    assert stored(delivery).status == Delivery.Status.PENDING


def test_the_daily_job_sends_what_no_task_was_left_for_and_deletes_old_deliveries(receiver, clock):
    endpoint = EndpointFactory(url=receiver.url, secret=receiver.secret)
    left_behind = Delivery.objects.create(
        endpoint=endpoint, event=Event.PING, payload={}, next_attempt_at=START
    )

    def finished(days_ago: int, status=Delivery.Status.SUCCEEDED) -> Delivery:
        return Delivery.objects.create(
            endpoint=endpoint,
            event=Event.PING,
            payload={},
            status=status,
            created_at=START - datetime.timedelta(days=days_ago),
        )

    finished(91)
    finished(91, Delivery.Status.FAILED)
    recent = finished(89)

    call_command("send_webhooks", stdout=io.StringIO())

    assert stored(left_behind).status == Delivery.Status.SUCCEEDED
    assert set(Delivery.objects.values_list("pk", flat=True)) == {left_behind.pk, recent.pk}

"""The employer's webhooks in the HR admin's back office."""

import pytest
from django.urls import reverse

from bpp.webhooks.models import Delivery, Endpoint, Event
from tests.webhooks.factories import EndpointFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:webhooks_endpoint_add")
DELIVERIES = reverse("admin:webhooks_delivery_changelist")


@pytest.fixture
def hr_admin(client, world):
    client.force_login(world.users["hr_admin"])
    return world.users["hr_admin"]


URL = "https://rh.exemple.gouv.fr/bilans/webhooks"


def added() -> Endpoint:
    """The endpoint added by the test (the world has one of its own)."""
    return Endpoint.objects.get(url=URL)


def nothing_added() -> bool:
    return not Endpoint.objects.filter(description="SIRH").exists()


def new_endpoint(world, **changes) -> dict:
    return {
        "organisation": world.organisation.pk,
        "url": URL,
        "description": "SIRH",
        "events": [Event.REQUEST_DECIDED, Event.COHORT_CONCLUDED],
        "active": "on",
    } | changes


def test_the_hr_admin_adds_an_endpoint_and_reads_its_secret(client, world, hr_admin):
    response = client.post(ADD, new_endpoint(world), follow=True)

    endpoint = added()
    assert endpoint.organisation == world.organisation
    assert endpoint.events == [Event.REQUEST_DECIDED, Event.COHORT_CONCLUDED]
    assert endpoint.secret.startswith("whsec_")
    assert endpoint.secret not in endpoint.sealed_secret  # encrypted at rest
    assert response.status_code == 200
    page = client.get(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]))
    assert endpoint.secret in page.text
    assert 'type="checkbox" name="events"' in page.text


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://rh.exemple.gouv.fr/hook", "commence par « https:// »"),
        ("http://127.0.0.1:8000/hook", "commence par « https:// »"),
        ("https://moi:secret@rh.exemple.gouv.fr/hook", "ni de mot de passe"),
        ("pas une adresse", "URL valide"),
    ],
)
def test_only_https_addresses_are_accepted(client, world, hr_admin, settings, url, message):
    settings.WEBHOOKS_ALLOW_HTTP = False

    response = client.post(ADD, new_endpoint(world, url=url))

    assert response.status_code == 200
    assert message in response.text
    assert nothing_added()


def test_an_unknown_event_is_refused(client, world, hr_admin):
    response = client.post(ADD, new_endpoint(world, events=["request.exploded"]))

    assert "Sélectionnez un choix valide" in response.text
    assert nothing_added()


def test_no_endpoint_for_another_employer(client, world, hr_admin):
    response = client.post(ADD, new_endpoint(world, organisation=world.other_organisation.pk))

    assert response.status_code == 200
    assert nothing_added()


def test_the_hr_admin_sees_only_their_employers_endpoints_and_deliveries(client, world, hr_admin):
    ours = EndpointFactory(organisation=world.organisation, url="https://nous.example.fr/h")
    theirs = EndpointFactory(organisation=world.other_organisation, url="https://eux.example.fr/h")
    for endpoint in (ours, theirs):
        Delivery.objects.create(
            endpoint=endpoint, event=Event.PING, payload={}, next_attempt_at=endpoint.created_at
        )

    endpoints = client.get(reverse("admin:webhooks_endpoint_changelist"))
    deliveries = client.get(DELIVERIES)

    assert "nous.example.fr" in endpoints.text and "eux.example.fr" not in endpoints.text
    assert "nous.example.fr" in deliveries.text and "eux.example.fr" not in deliveries.text
    for name, obj in [
        ("admin:webhooks_endpoint_change", theirs),
        ("admin:webhooks_delivery_change", theirs.deliveries.get()),
    ]:
        response = client.get(reverse(name, args=[obj.pk]))
        assert response.status_code == 302  # the admin's "does not exist"
        assert response.url == reverse("admin:index")


def test_deleting_an_endpoint_asks_first(client, world, hr_admin):
    endpoint = EndpointFactory(organisation=world.organisation)
    url = reverse("admin:webhooks_endpoint_delete", args=[endpoint.pk])

    assert "Voulez-vous vraiment supprimer" in client.get(url).text
    assert Endpoint.objects.filter(pk=endpoint.pk).exists()
    client.post(url, {"post": "yes"})
    assert not Endpoint.objects.filter(pk=endpoint.pk).exists()


def test_the_test_event_is_queued_for_the_endpoint(client, world, hr_admin):
    endpoint = EndpointFactory(organisation=world.organisation, events=[])

    response = client.post(
        reverse("admin:webhooks_endpoint_changelist"),
        {"action": "send_test_event", "_selected_action": [endpoint.pk]},
        follow=True,
    )

    [delivery] = endpoint.deliveries.all()
    assert delivery.event == Event.PING
    assert delivery.payload["data"] == {"endpoint_id": endpoint.pk}
    assert "Événement de test mis en file" in response.text


def test_a_failed_delivery_is_resent(client, world, hr_admin, django_tasks):
    endpoint = EndpointFactory(organisation=world.organisation)
    failed = Delivery.objects.create(
        endpoint=endpoint, event=Event.PING, payload={}, status=Delivery.Status.FAILED, attempts=6
    )
    succeeded = Delivery.objects.create(
        endpoint=endpoint, event=Event.PING, payload={}, status=Delivery.Status.SUCCEEDED
    )

    response = client.post(
        DELIVERIES,
        {"action": "resend", "_selected_action": [failed.pk, succeeded.pk]},
        follow=True,
    )

    assert "1 envoi remis en file" in response.text
    failed.refresh_from_db()
    succeeded.refresh_from_db()
    assert (failed.status, failed.attempts) == (Delivery.Status.PENDING, 0)
    assert succeeded.status == Delivery.Status.SUCCEEDED


def test_a_delivery_shows_its_attempts_and_payload(client, world, hr_admin):
    endpoint = EndpointFactory(organisation=world.organisation)
    delivery = Delivery.objects.create(
        endpoint=endpoint,
        event=Event.REQUEST_DECIDED,
        payload={"type": "request.decided", "data": {"request_id": 4242}},
        next_attempt_at=endpoint.created_at,
    )
    delivery.record_attempt(now=endpoint.created_at, status_code=500, error="HTTP 500")

    response = client.get(reverse("admin:webhooks_delivery_change", args=[delivery.pk]))

    assert "4242" in response.text
    assert "HTTP 500" in response.text


def test_a_secret_is_renewed(client, world, hr_admin):
    endpoint = EndpointFactory(organisation=world.organisation)
    old = endpoint.secret

    response = client.post(
        reverse("admin:webhooks_endpoint_changelist"),
        {"action": "renew_secret", "_selected_action": [endpoint.pk]},
        follow=True,
    )

    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secret.startswith("whsec_")
    assert "Nouveau secret" in response.text


def test_another_employers_endpoint_cannot_be_acted_on(client, world, hr_admin):
    theirs = EndpointFactory(organisation=world.other_organisation)
    old = theirs.secret

    client.post(
        reverse("admin:webhooks_endpoint_changelist"),
        {"action": "renew_secret", "_selected_action": [theirs.pk]},
    )

    theirs.refresh_from_db()
    assert theirs.secret == old

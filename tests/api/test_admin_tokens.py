"""The HR admin creates a token on the admin site, sees it once, and may revoke it."""

import pytest
from django.urls import reverse

from bpp.api.models import ApiToken

pytestmark = pytest.mark.django_db


def create(client, world, **data):
    return client.post(
        reverse("admin:api_apitoken_add"),
        {"organisation": world.organisation.pk, "name": "SIRH Renoirh"} | data,
    )


def test_a_new_token_is_shown_once_and_only_its_hash_kept(world):
    client = world.client("hr_admin")

    response = create(client, world, scopes=["requests:read", "indicators:read"])

    assert response.status_code == 200
    api_token = ApiToken.objects.exclude(pk=world.api_token.pk).get()
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert api_token.token_hash == ApiToken.hash(secret)
    assert api_token.scope_list == ["requests:read", "indicators:read"]
    assert api_token.created_by == world.users["hr_admin"]
    page = client.get(reverse("admin:api_apitoken_change", args=[api_token.pk]))
    assert secret not in page.content.decode() and api_token.prefix in page.content.decode()
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get(reverse("api:requests"), headers=headers).status_code == 200


def test_a_token_needs_a_scope(world):
    response = create(world.client("hr_admin"), world)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["scopes"]
    assert list(ApiToken.objects.all()) == [world.api_token]


def test_an_hr_admin_creates_tokens_for_their_employers_only(world):
    response = create(
        world.client("hr_admin"),
        world,
        organisation=world.other_organisation.pk,
        scopes=["requests:read"],
    )

    assert "organisation" in response.context["adminform"].form.errors
    assert list(ApiToken.objects.all()) == [world.api_token]


def test_revoking_stops_the_token_at_once(client, world):
    api_token, secret = ApiToken.issue(
        organisation=world.organisation, name="SIRH", scopes=["requests:read"], by=None
    )

    world.client("hr_admin").post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [api_token.pk]},
    )

    api_token.refresh_from_db()
    assert api_token.is_revoked
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get(reverse("api:requests"), headers=headers).status_code == 401

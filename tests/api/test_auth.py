"""Who reads the API: an active token of the employer, with the scope of the endpoint."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from bpp.api.models import ApiToken, Scope
from tests.api.conftest import issue
from tests.clock import paris

pytestmark = pytest.mark.django_db


def test_it_answers_401_in_french_without_a_token(client, world):
    response = client.get(reverse("api:requests"))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "Jeton absent, inconnu ou révoqué" in response.json()["detail"]


@pytest.mark.parametrize(
    "value",
    [
        "Bearer bpp_inconnu",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "bpp_sans_schema",
        "Bearer " + "x" * 5000,
    ],
)
def test_it_answers_401_to_an_unknown_or_malformed_token(client, world, value):
    response = client.get(reverse("api:requests"), headers={"Authorization": value})

    assert response.status_code == 401


def test_a_revoked_token_is_refused(client, world):
    api_token, headers = issue(world.organisation)
    ApiToken.revoke(ApiToken.objects.filter(pk=api_token.pk))

    assert client.get(reverse("api:requests"), headers=headers).status_code == 401


def test_a_token_without_the_scope_gets_403(client, world):
    _, headers = issue(world.organisation, Scope.INDICATORS)

    response = client.get(reverse("api:cohorts"), headers=headers)

    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Ce jeton n’a pas le droit « cohorts:read » (promotions, inscriptions et émargements)."
    )


def test_a_session_signs_nobody_in(world):
    client = world.client("hr_admin")

    assert client.get(reverse("api:requests")).status_code == 401


def test_only_the_hash_of_the_token_is_kept(world):
    api_token, headers = issue(world.organisation)
    secret = headers["Authorization"].removeprefix("Bearer ")

    assert secret.startswith(api_token.prefix) and len(secret) > 40
    assert api_token.token_hash == ApiToken.hash(secret) != secret
    assert not ApiToken.objects.filter(token_hash=secret).exists()


def test_the_last_use_is_written_at_most_once_an_hour(client, world):
    api_token, headers = issue(world.organisation)
    first = paris(2027, 3, 1, 10)

    for minutes in (0, 59):
        with time_machine.travel(first + datetime.timedelta(minutes=minutes), tick=False):
            client.get(reverse("api:cohorts"), headers=headers)
        api_token.refresh_from_db()
        assert api_token.last_used_at == first
    with time_machine.travel(first + datetime.timedelta(minutes=61), tick=False):
        client.get(reverse("api:cohorts"), headers=headers)

    api_token.refresh_from_db()
    assert api_token.last_used_at == first + datetime.timedelta(minutes=61)


def test_a_token_sees_only_its_employer(client, world):
    _, headers = issue(world.other_organisation)

    response = client.get(reverse("api:requests"), headers=headers)

    # The other employer's proposal, not the world's employer's request.
    assert [row["id"] for row in response.json()["items"]] == [world.proposal.pk]
    assert client.get(reverse("api:cohorts"), headers=headers).json()["items"] == []
    assert client.get(reverse("api:enrolments"), headers=headers).json()["items"] == []
    assert client.get(reverse("api:sessions"), headers=headers).json()["items"] == []


def test_answers_are_never_cached(client, world, headers):
    response = client.get(reverse("api:requests"), headers=headers)

    assert {"no-store", "private"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }


def test_writes_are_not_offered(client, world, headers):
    response = client.post(reverse("api:requests"), {}, headers=headers)

    assert response.status_code == 405

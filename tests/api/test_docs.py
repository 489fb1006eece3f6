"""The schema and the documentation of the API: open to all, nothing from a CDN."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_schema_is_served_and_lists_every_endpoint(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert set(schema["paths"]) == {
        f"/api/v1/{name}"
        for name in ("requests", "cohorts", "enrolments", "sessions", "indicators")
    }
    assert all(list(operations) == ["get"] for operations in schema["paths"].values())
    assert schema["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"


def test_the_documentation_loads_its_files_from_this_site_only(client):
    response = client.get(reverse("api:openapi-view"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "http://" not in html and "https://" not in html
    assert "<script>" not in html  # no inline script: the CSP allows none without a nonce


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/demandes/", "/api/v1/requests/1"])
def test_an_address_that_is_no_endpoint_is_a_404_in_json(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response.json()["detail"].startswith("Aucune adresse de l’API ne correspond")

"""The HR admin extends the list of schemes for their employer; never reads a synthesis."""

import pytest
from django.urls import reverse

from synthesis.models import Scheme

pytestmark = pytest.mark.django_db


def test_the_hr_admin_adds_a_scheme_that_their_agents_can_choose(client, world):
    client.force_login(world.users["hr_admin"])

    response = client.post(
        reverse("admin:synthesis_scheme_add"),
        {
            "name": "École du management",
            "organisation": world.organisation.pk,
            "position": 5,
            "active": "on",
        },
    )

    assert response.status_code == 302
    offered = Scheme.objects.offered_to(world.organisation).values_list("name", flat=True)
    assert "École du management" in offered
    assert "Bilan de compétences" in offered  # the national list stays
    assert "École du management" not in Scheme.objects.offered_to(
        world.other_organisation
    ).values_list("name", flat=True)


def test_the_hr_admin_cannot_change_the_national_list(client, world):
    client.force_login(world.users["hr_admin"])

    response = client.post(
        reverse("admin:synthesis_scheme_add"),
        {"name": "Pour tout le monde", "organisation": "", "position": 5},
    )

    assert response.status_code == 200  # the form, with its error
    assert not Scheme.objects.filter(name="Pour tout le monde").exists()
    national = Scheme.objects.get(name="Bilan de compétences")
    change = client.get(reverse("admin:synthesis_scheme_change", args=[national.pk]))
    assert change.status_code == 302  # not in their scope: "does not exist"


def test_no_synthesis_is_reachable_in_the_admin(client, world):
    client.force_login(world.users["hr_admin"])

    index = client.get(reverse("admin:index")).text

    assert "Documents de synthèse" in index  # the app, for its schemes
    assert "/admin/synthesis/synthesis/" not in index

"""One's calendar subscription address, from "Mon compte": created or replaced after a
confirmation, shown once, and only its hash kept."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from bpp.people.models import CalendarFeed
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("calendar_address")
ADDRESS = re.compile(re.escape(settings.SITE_URL) + r"/agenda/abonnement/([\w-]+)\.ics")


@pytest.fixture
def user(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_the_account_page_offers_to_create_an_address(client, user):
    page = client.get(reverse("account")).text

    assert "Mon agenda" in page and "Créer mon adresse d’abonnement" in page


def test_creating_asks_first_then_shows_the_address_once(client, user):
    confirmation = client.get(URL)
    assert "Créer l’adresse" in confirmation.text and not CalendarFeed.objects.exists()

    response = client.post(URL, follow=True)

    assert response.redirect_chain == [(reverse("account") + "#agenda", 302)]
    [token] = ADDRESS.findall(response.text)
    assert "elle ne sera plus affichée" in response.text
    feed = CalendarFeed.objects.get(user=user)
    assert feed.token_hash == CalendarFeed.hash(token) and token not in feed.token_hash
    assert Client().get(reverse("cohorts:calendar_feed", args=[token])).status_code == 200
    again = client.get(reverse("account")).text
    assert token not in again and "Remplacer mon adresse d’abonnement" in again


def test_replacing_warns_then_stops_the_old_address(client, user):
    old = CalendarFeed.renew(user)

    assert "L’adresse actuelle cessera de fonctionner" in client.get(URL).text
    page = client.post(URL, follow=True).text

    [new] = ADDRESS.findall(page)
    assert new != old and "L’ancienne adresse ne fonctionne plus" in page
    assert Client().get(reverse("cohorts:calendar_feed", args=[old])).status_code == 404
    assert CalendarFeed.objects.filter(user=user).count() == 1


def test_each_person_has_their_own_address(client, user):
    mine = CalendarFeed.renew(user)
    theirs = CalendarFeed.renew(UserFactory())

    assert mine != theirs
    assert CalendarFeed.hash(mine) != CalendarFeed.hash(theirs)

import datetime
from unittest import mock

import pytest
import time_machine
from django.db import OperationalError

from bpp.mailer import send_email

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2027, 1, 11, 12, 0, tzinfo=datetime.UTC)


def queue_an_email() -> None:
    send_email.enqueue(
        to=["agent@exemple.gouv.fr"], subject="Objet", text="Texte", html="<p>Texte</p>"
    )


def test_it_answers_200_when_the_database_answers_and_no_task_waits(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "oldest_ready_task_age": None, "tasks": "ok"}


def test_it_reports_the_age_of_the_oldest_ready_task(client, settings):
    settings.HEALTHZ_MAX_TASK_AGE = 900
    with time_machine.travel(NOON, tick=False):
        queue_an_email()
    with time_machine.travel(NOON + datetime.timedelta(minutes=10), tick=False):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["oldest_ready_task_age"] == 600


def test_it_answers_503_when_a_ready_task_waited_too_long(client, settings):
    settings.HEALTHZ_MAX_TASK_AGE = 900
    with time_machine.travel(NOON, tick=False):
        queue_an_email()
    with time_machine.travel(NOON + datetime.timedelta(seconds=901), tick=False):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["tasks"] == "late"


def test_it_answers_503_when_the_database_does_not(client):
    with mock.patch("bpp.pages.site.DBTaskResult.objects.ready", side_effect=OperationalError):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "unavailable"}

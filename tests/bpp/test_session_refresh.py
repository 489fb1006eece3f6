"""The end of an active session is pushed back by a write at most once a minute."""

import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session

from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2027, 1, 11, 9, 0, tzinfo=datetime.UTC)


def session_end(client) -> datetime.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_requests_within_a_minute_of_the_sign_in_do_not_write_the_session(client):
    with time_machine.travel(START, tick=False):
        client.force_login(UserFactory())
        client.get("/notifications/")
        first_end = session_end(client)
    with time_machine.travel(START + datetime.timedelta(seconds=59), tick=False):
        client.get("/notifications/")

    assert first_end == START + datetime.timedelta(minutes=30)
    assert session_end(client) == first_end


def test_a_request_a_minute_after_the_last_write_pushes_the_end_back(client):
    with time_machine.travel(START, tick=False):
        client.force_login(UserFactory())
        client.get("/notifications/")
    later = START + datetime.timedelta(seconds=61)
    with time_machine.travel(later, tick=False):
        client.get("/notifications/")

    assert session_end(client) == later + datetime.timedelta(minutes=30)


def test_an_anonymous_visit_with_an_ended_session_creates_none(client):
    client.cookies["sessionid"] = "a-session-that-ended-long-ago"

    client.get("/connexion/")

    assert not Session.objects.exists()

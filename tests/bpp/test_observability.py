"""Logs with the request id, as JSON lines; Sentry events with nothing personal."""

import io
import json
import logging

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from bpp.observability import (
    FILTERED,
    JsonFormatter,
    RequestIdFilter,
    RequestIdMiddleware,
    scrub_event,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """What the logger `bpp.test` writes through the production handler's filter and format."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("bpp.test")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


def logging_view(request):
    logging.getLogger("bpp.test").info("La demande %s est traitée", 42)
    return HttpResponse("ok")


def test_every_response_carries_a_new_request_id(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]

    assert len(first) == 32
    assert first != second


def test_the_proxy_s_request_id_is_kept(client):
    response = client.get("/healthz", headers={"X-Request-ID": "nginx-4f2a"})

    assert response.headers["X-Request-ID"] == "nginx-4f2a"


def test_a_request_id_that_could_break_a_log_line_is_replaced(client):
    response = client.get("/healthz", headers={"X-Request-ID": 'x" injected\\n'})

    assert response.headers["X-Request-ID"] != 'x" injected\\n'


def test_each_log_line_is_json_with_the_request_s_id(json_log):
    middleware = RequestIdMiddleware(logging_view)

    response = middleware(RequestFactory().get("/", headers={"X-Request-ID": "abc-123"}))
    logging.getLogger("bpp.test").info("Hors de toute requête")

    [during, after] = json_log()
    assert response["X-Request-ID"] == "abc-123"
    assert during["message"] == "La demande 42 est traitée"
    assert (during["level"], during["logger"], during["request_id"]) == (
        "INFO",
        "bpp.test",
        "abc-123",
    )
    assert after["request_id"] == ""


def test_a_logged_exception_keeps_its_traceback(json_log):
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("bpp.test").exception("Échec")

    [line] = json_log()
    assert "ValueError: boom" in line["exception"]


def fake_event() -> dict:
    """An error in the synthesis editor, as Sentry's Django integration builds it."""
    return {
        "message": "Erreur",
        "request": {
            "url": "https://bilans.exemple.gouv.fr/syntheses/12/",
            "method": "POST",
            "data": {"section_2_5": "Ma santé et ma famille", "csrfmiddlewaretoken": "t"},
            "query_string": "q=Martin",
            "cookies": {"__Host-sessionid": "secret"},
            "headers": {"Cookie": "__Host-sessionid=secret", "User-Agent": "Firefox"},
        },
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "value": "version dépassée",
                    "stacktrace": {
                        "frames": [
                            {
                                "function": "save_version",
                                "vars": {"content": "Ma santé et ma famille"},
                            }
                        ]
                    },
                }
            ]
        },
        "extra": {"email": {"to": ["agent@exemple.gouv.fr"], "text": "Votre synthèse…"}},
        "logentry": {"message": "Échec de l’envoi : %s", "params": ["Objet personnel"]},
        "breadcrumbs": {"values": [{"category": "task", "data": {"html": "<p>Bonjour</p>"}}]},
        "user": {"id": 7, "email": "agent@exemple.gouv.fr"},
    }


def test_sentry_events_leave_without_bodies_synthesis_content_nor_e_mails():
    event = scrub_event(fake_event(), hint={})

    sent = json.dumps(event, ensure_ascii=False)
    for secret in ("santé", "Martin", "secret", "agent@", "Votre synthèse", "Bonjour", "personnel"):
        assert secret not in sent
    assert event["request"]["data"] == FILTERED
    assert event["request"]["headers"] == {"User-Agent": "Firefox"}
    assert "vars" not in event["exception"]["values"][0]["stacktrace"]["frames"][0]


def test_sentry_events_keep_what_locates_the_error():
    event = scrub_event(fake_event(), hint={})

    assert event["request"]["url"] == "https://bilans.exemple.gouv.fr/syntheses/12/"
    exception = event["exception"]["values"][0]
    assert (exception["type"], exception["value"]) == ("ValueError", "version dépassée")
    assert exception["stacktrace"]["frames"][0]["function"] == "save_version"
    assert event["logentry"]["message"] == "Échec de l’envoi : %s"

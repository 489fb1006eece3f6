"""
What operators see: JSON log lines carrying the request id, and errors sent to Sentry
with nothing personal in them.

- `RequestIdMiddleware` takes the request's X-Request-ID (set by the reverse proxy) or
  makes one, returns it in the response and tags every log line written meanwhile.
- `JsonFormatter` writes one JSON object a line: time, level, logger, message, request id,
  and the exception's traceback.
- `scrub_event` is Sentry's `before_send`: request bodies and query strings, local
  variables of the stack frames, cookies and anything that looks like a synthesis or an
  e-mail are removed before an event leaves the machine.
"""

import contextvars
import datetime
import json
import logging
import re
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

HEADER = "X-Request-ID"
# What a proxy may pass on: short, and nothing that would break a log line.
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestIdMiddleware:
    """Give each request an id, in its response and in every log line it writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(HEADER, "")
        current = given if VALID_REQUEST_ID.match(given) else uuid.uuid4().hex
        token = request_id.set(current)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[HEADER] = current
        return response


class RequestIdFilter(logging.Filter):
    """Add the current request id (or "") to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line, the shape of gunicorn's access lines (deploy/gunicorn.conf.py)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


FILTERED = "[filtré]"
# Keys whose values may hold a synthesis, an e-mail or what a user typed.
SENSITIVE_KEYS = re.compile(
    r"body|text|html|content|section|answer|comment|message|password|secret|token|key|"
    r"cookie|session|csrf|data|email|subject|attachment|reason",
    re.IGNORECASE,
)


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: FILTERED if SENSITIVE_KEYS.search(str(key)) else _scrub(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_scrub(item) for item in value]
    return value


def _stack_frames(event: dict) -> list[dict]:
    frames = []
    for group in ("exception", "threads"):
        for entry in (event.get(group) or {}).get("values", []):
            frames += (entry.get("stacktrace") or {}).get("frames", [])
    return frames


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """Sentry's `before_send`: remove what users wrote before the event leaves."""
    request = event.get("request")
    if request:
        for key in ("data", "query_string", "cookies"):
            if request.get(key):
                request[key] = FILTERED
        request["headers"] = {
            name: value
            for name, value in (request.get("headers") or {}).items()
            if name.lower() not in ("cookie", "authorization", "x-csrftoken")
        }
    for frame in _stack_frames(event):
        frame.pop("vars", None)
    for key in ("extra", "contexts"):
        if key in event:
            event[key] = _scrub(event[key])
    if (event.get("logentry") or {}).get("params"):
        event["logentry"]["params"] = [FILTERED]  # the message's template stays
    for breadcrumb in (event.get("breadcrumbs") or {}).get("values", []):
        if "data" in breadcrumb:
            breadcrumb["data"] = _scrub(breadcrumb["data"])
    event.pop("user", None)
    return event

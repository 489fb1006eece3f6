"""HTTP plumbing: the 410 Gone answer Django has no exception for; the session refresh."""

import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class Gone(Exception):
    """Raised by a loader: this user's access to the object has ended (HTTP 410)."""

    def __init__(self, template: str = "410.html"):
        super().__init__(template)
        self.template = template


class GoneMiddleware:
    """Answer 410 with the page the loader named when a view raises `Gone`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Gone):
            return render(request, exception.template, status=410)
        return None


class SessionRefreshMiddleware:
    """Push back the end of an active session, writing it at most once a minute.

    A session ends SESSION_COOKIE_AGE seconds after it was last saved. Saving it on every
    request (SESSION_SAVE_EVERY_REQUEST) costs a write per request; saving it when the last
    refresh is SESSION_REFRESH_SECONDS old keeps the idle timeout right to the minute.
    Sits just after SessionMiddleware, which saves a modified session.
    """

    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = request.session
        if session.is_empty():
            return response  # no cookie, or signed out: nothing to keep alive
        refreshed_at = session.get(self.KEY, 0)  # loads it: the cookie may name an ended one
        now = int(time.time())
        if not session.is_empty() and (
            session.modified or now - refreshed_at >= settings.SESSION_REFRESH_SECONDS
        ):
            session[self.KEY] = now
        return response


def stamp_session_on_sign_in(sender, request: HttpRequest, user, **kwargs) -> None:
    """A sign-in saves the session anyway: it counts as its first refresh."""
    request.session[SessionRefreshMiddleware.KEY] = int(time.time())

"""
Sign-in throttling with django-axes: who is counted, what a locked-out user reads.

Failures are counted in the database per account and, separately, per address (see
AXES_LOCKOUT_PARAMETERS in the settings), so that every server process sees them.
"""

import logging
from datetime import timedelta

from axes.helpers import get_client_ip_address, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

logger = logging.getLogger(__name__)


def username_of(request: HttpRequest, credentials: dict | None) -> str:
    """The account an attempt aims at, as sign-in finds it: the e-mail, whatever the case.

    Without this, `Lea@…` and `lea@…` would be counted as two accounts.
    """
    source = credentials if credentials is not None else request.POST
    return str(source.get(settings.AXES_USERNAME_FORM_FIELD) or "").strip().lower()[:255]


def client_ip(request: HttpRequest) -> str | None:
    """The address of the browser, behind REVERSE_PROXY_COUNT proxies.

    Each proxy appends the address it received the request from to X-Forwarded-For; the
    one appended by the outermost of ours is the browser's. Entries further left were
    written by the browser itself and prove nothing.
    """
    count = settings.REVERSE_PROXY_COUNT
    if count:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        if len(forwarded) >= count and forwarded[-count]:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The page of a locked-out sign-in: what happened, and when to try again."""
    cool_off = get_cool_off(request) or timedelta()
    return render(
        request,
        "registration/locked_out.html",
        {
            "minutes": int(cool_off.total_seconds() // 60),
            "retry_at": timezone.localtime() + cool_off,
        },
        status=429,
    )


def log_lockout(sender, request: HttpRequest, username: str, ip_address: str, **kwargs) -> None:
    logger.warning(
        "Sign-in locked for %s minutes after %s failures: account %r, address %s",
        int((get_cool_off(request) or timedelta()).total_seconds() // 60),
        settings.AXES_FAILURE_LIMIT,
        username,
        ip_address or get_client_ip_address(request),
    )


def forget_failures_of_account(sender, request: HttpRequest, user, **kwargs) -> None:
    """A successful sign-in clears the account's own failures, not the address's.

    Axes' AXES_RESET_ON_SUCCESS would also clear every failure from the address: whoever
    holds one account could then sign in to it between guesses at the others.
    """
    AccessAttempt.objects.filter(username=user.get_username().lower()).delete()

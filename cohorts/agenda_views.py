"""
The agenda: the week view of the sessions a leader runs across their cohorts, and each
person's calendar subscription, which calendar applications poll without signing in.
"""

import datetime
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_safe

from bpp.people.permissions import load_calendar_owner, user_passes
from cohorts import calendar
from cohorts.models import Enrolment, Session
from cohorts.permissions import cohorts_led_by, may_see_agenda, sessions_in_calendar_of

ISO_WEEK = re.compile(r"(?P<year>[0-9]{4})-W(?P<week>[0-9]{2})")
# The weeks one may browse: far enough for any cohort, near enough to never overflow.
FIRST_YEAR, LAST_YEAR = 2000, 2100
# How far back a subscription goes: calendar applications keep what they already hold.
SUBSCRIPTION_HISTORY = datetime.timedelta(days=90)


def _monday_of(week: str) -> datetime.date | None:
    """The Monday of the ISO week `week` ("2027-W02"), or None if there is no such week."""
    match = ISO_WEEK.fullmatch(week)
    if match is None or not FIRST_YEAR <= int(match["year"]) <= LAST_YEAR:
        return None
    try:
        return datetime.date.fromisocalendar(int(match["year"]), int(match["week"]), 1)
    except ValueError:
        return None


def _iso_week(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _midnight(day: datetime.date) -> datetime.datetime:
    """The start of `day` in legal time (a week is 167 or 169 hours when the clocks change)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@user_passes(may_see_agenda)
@require_safe
def week(request: HttpRequest) -> HttpResponse:
    """The sessions and interviews of the week in every cohort the user leads, day by day."""
    now = timezone.now()
    today = timezone.localdate(now)
    monday = today - datetime.timedelta(days=today.weekday())
    if "semaine" in request.GET:
        asked = _monday_of(request.GET["semaine"])
        if asked is None:
            messages.error(request, "Cette semaine n’existe pas : voici la semaine en cours.")
        else:
            monday = asked
    days = [monday + datetime.timedelta(days=n) for n in range(7)]
    sessions = (
        Session.objects.filter(
            cohort__in=cohorts_led_by(request.user, now),
            starts_at__gte=_midnight(days[0]),
            starts_at__lt=_midnight(days[-1] + datetime.timedelta(days=1)),
        )
        .select_related("cohort")
        .prefetch_related(
            Prefetch(
                "participants",
                Enrolment.objects.select_related("agent__user").order_by(
                    "agent__user__last_name", "agent__user__first_name", "pk"
                ),
            )
        )
        .annotate(recorded=Count("attendances"))
        .order_by("starts_at", "pk")
    )
    by_day = {day: [] for day in days}
    for session in sessions:
        by_day[timezone.localdate(session.starts_at)].append(session)
    return render(
        request,
        "cohorts/agenda.html",
        {
            "monday": monday,
            # The weekend only when something happens then.
            "days": [(d, s) for d, s in by_day.items() if s or d.weekday() < 5],
            "is_this_week": monday <= today < monday + datetime.timedelta(days=7),
            "previous_week": _iso_week(monday - datetime.timedelta(days=7)),
            "next_week": _iso_week(monday + datetime.timedelta(days=7)),
            "now": now,
        },
    )


@login_not_required
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's calendar subscription, by the secret address only (no session): the
    sessions they attend or lead, without anything confidential."""
    owner = load_calendar_owner(token)
    now = timezone.now()
    led = set(cohorts_led_by(owner, now).values_list("pk", flat=True))
    sessions = (
        sessions_in_calendar_of(owner, now)
        .filter(starts_at__gte=now - SUBSCRIPTION_HISTORY)
        .select_related("cohort")
        .order_by("starts_at", "pk")
    )
    content = calendar.subscription_bytes((s, _page_of(s, led)) for s in sessions)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="bilans-de-parcours.ics"'
    response["X-Robots-Tag"] = "noindex"
    # The address is the secret: no shared cache may keep what it answers.
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


def _page_of(session: Session, led: set[int]) -> str:
    """Where an event links to: the cohort for its leader, the agent's space otherwise."""
    if session.cohort_id in led:
        return reverse("cohorts:detail", args=[session.cohort_id])
    return calendar.AGENT_PAGE

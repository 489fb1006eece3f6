"""The sessions of a cohort as iCalendar data (RFC 5545), for e-mails and downloads."""

import datetime
from collections.abc import Iterable
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vDuration

from cohorts.models import Cohort, CohortPhase, Session

PRODID = "-//Bilans de parcours professionnels//FR"
# The agent's space (bpp.pages, a layer above): where an agent's events link to.
AGENT_PAGE = "/agent/"
# How often a subscribed calendar application should fetch the feed again.
REFRESH_INTERVAL = datetime.timedelta(hours=1)


def _event(session: Session, *, url: str = AGENT_PAGE) -> Event:
    event = Event()
    event.add("uid", f"{session.uid}@bilans-parcours")
    event.add("sequence", session.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", f"{session.title} — {session.cohort.title}")
    event.add("location", session.place or session.video_link)
    description = (
        f"{session.get_kind_display()}, phase {session.phase} : {session.get_phase_display()}."
    )
    if session.video_link:
        description += f"\nVisioconférence : {session.video_link}"
    event.add("description", description)
    event.add("url", settings.SITE_URL + url)
    event.add("status", "CANCELLED" if session.cancelled_at else "CONFIRMED")
    event.add("organizer", vCalAddress("mailto:" + parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))
    return event


def _phase_event(phase: CohortPhase) -> Event:
    event = Event()
    event.add("uid", f"phase-{phase.pk}@bilans-parcours")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", phase.starts_on)
    event.add("dtend", phase.ends_on + datetime.timedelta(days=1))  # all-day, end exclusive
    event.add(
        "summary", f"Phase {phase.number} : {phase.get_number_display()} — {phase.cohort.title}"
    )
    event.add("transp", "TRANSPARENT")  # a period, not a busy slot
    return event


def cohort_calendar_bytes(cohort: Cohort) -> bytes:
    """The cohort's four phases (all-day periods) and its planned sessions."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    for phase in cohort.phases.select_related("cohort"):
        calendar.add_component(_phase_event(phase))
    for session in cohort.sessions.filter(cancelled_at__isnull=True).select_related("cohort"):
        calendar.add_component(_event(session))
    return calendar.to_ical()


def calendar_bytes(sessions: Iterable[Session], *, cancelled: bool = False) -> bytes:
    """An iCalendar file of `sessions`; METHOD is CANCEL for a cancellation notice."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    for session in sessions:
        calendar.add_component(_event(session))
    return calendar.to_ical()


def subscription_bytes(events: Iterable[tuple[Session, str]]) -> bytes:
    """A person's calendar subscription: each session with the path of the page it links
    to. Nothing confidential: what, when, where (no participant, no synthesis)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Bilans de parcours professionnels")
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    for session, url in events:
        calendar.add_component(_event(session, url=url))
    return calendar.to_ical()

"""
The e-mails of a cohort's life (through `bpp.mailer`), sent by `cohorts.services`:
the convocation with the cohort's calendar, sessions scheduled, moved or cancelled
(each with its .ics), a seat freed, the satisfaction questionnaire.
"""

from django.conf import settings
from django.urls import reverse

from bpp import mailer
from bpp.people.models import User
from bpp.requests.models import ReviewRequest
from cohorts import calendar
from cohorts.models import Cohort, Enrolment, Evaluation, ProgrammeItem, Session


def convocation(enrolment: Enrolment) -> None:
    cohort = enrolment.cohort
    content = calendar.cohort_calendar_bytes(cohort).decode()
    mailer.send(
        "cohorts/convocation",
        [enrolment.agent.user],
        attachments=[["promotion.ics", content, "text/calendar"]],
        cohort=cohort,
        phases=cohort.phases.all(),
        url=settings.SITE_URL + reverse("portals:agent"),
    )


def seat_freed(cohort: Cohort, recipients, *, following: ReviewRequest | None) -> None:
    mailer.send(
        "cohorts/seat_freed",
        recipients,
        cohort=cohort,
        following=following,
        url=settings.SITE_URL + reverse("cohorts:queue"),
    )


def leaders_changed(cohort: Cohort, *, added: set[User], removed: set[User]) -> None:
    agents = [e.agent.user for e in cohort.enrolments.current().select_related("agent__user")]
    mailer.send(
        "cohorts/leaders_changed",
        agents,
        cohort=cohort,
        added=sorted(u.get_full_name() for u in added),
        removed=sorted(u.get_full_name() for u in removed),
        url=settings.SITE_URL + reverse("synthesis:mine"),
    )


def _ics(session: Session) -> list[list[str]]:
    content = calendar.calendar_bytes([session], cancelled=bool(session.cancelled_at))
    return [["seance.ics", content.decode(), "text/calendar"]]


def _participants(session: Session) -> list[User]:
    return [e.agent.user for e in session.participants.select_related("agent__user")]


def session_changed(session: Session, *, name: str) -> None:
    """`name`: session_scheduled, session_moved or session_cancelled."""
    mailer.send(
        f"cohorts/{name}", _participants(session), attachments=_ics(session), session=session
    )


def evaluation_sent(evaluation: Evaluation) -> None:
    mailer.send(
        "cohorts/evaluation",
        [evaluation.enrolment.agent.user],
        evaluation=evaluation,
        url=settings.SITE_URL + reverse("cohorts:evaluation", args=[evaluation.pk]),
    )


def programme_item(item: ProgrammeItem, cohort: Cohort, recipients) -> None:
    """A message or an exercise of the cohort's programme (cohorts.jobs)."""
    if item.is_exercise:
        url = settings.SITE_URL + reverse("portals:exercise", args=[item.pk])
    else:
        url = settings.SITE_URL + reverse("portals:programme")
    mailer.send("cohorts/programme_item", recipients, item=item, cohort=cohort, url=url)

"""The calendar subscription: read by calendar applications at a secret address, without
signing in; agents get their sessions, leaders every session they lead."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from bpp.people.models import CalendarFeed, Role
from tests.clock import paris
from tests.cohorts.factories import CohortFactory, EnrolmentFactory, SessionFactory
from tests.people.factories import RoleFactory
from tests.synthesis.factories import SAMPLE_CONTENT, SynthesisFactory

pytestmark = pytest.mark.django_db


def feed_url(token: str) -> str:
    return reverse("cohorts:calendar_feed", args=[token])


def read_feed(token: str) -> Calendar:
    """The feed as a calendar application gets it: no session, no cookie."""
    response = Client().get(feed_url(token))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def titles(calendar: Calendar) -> set[str]:
    return {str(event["SUMMARY"]).split(" — ")[0] for event in calendar.walk("VEVENT")}


@pytest.fixture
def enrolment():
    return EnrolmentFactory()


@time_machine.travel(paris(2027, 3, 1), tick=False)
def test_an_agent_gets_their_sessions_with_time_and_place(enrolment):
    session = SessionFactory(
        cohort=enrolment.cohort,
        phase=1,
        kind="collective",
        title="Lancement",
        starts_at=paris(2027, 3, 30, 9, 30),  # just after the change to summer time
        duration_minutes=150,
        place="Tour Séquoia, salle 12",
        participants=[enrolment],
    )
    SessionFactory(cohort=enrolment.cohort, phase=1, title="Pas pour moi")

    calendar = read_feed(CalendarFeed.renew(enrolment.agent.user))

    assert str(calendar["X-WR-CALNAME"]) == "Bilans de parcours professionnels"
    [event] = calendar.walk("VEVENT")
    assert event["UID"] == f"{session.uid}@bilans-parcours"
    assert event.decoded("DTSTART") == datetime.datetime(2027, 3, 30, 7, 30, tzinfo=datetime.UTC)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == datetime.timedelta(minutes=150)
    assert str(event["SUMMARY"]) == f"Lancement — {enrolment.cohort.title}"
    assert str(event["LOCATION"]) == "Tour Séquoia, salle 12"
    assert str(event["URL"]).endswith("/agent/")


def test_an_agent_gets_phase_2_only_once_the_contract_is_signed(enrolment):
    for phase, title in [(1, "Lancement"), (2, "Mon parcours")]:
        SessionFactory(cohort=enrolment.cohort, phase=phase, title=title, participants=[enrolment])
    token = CalendarFeed.renew(enrolment.agent.user)

    assert titles(read_feed(token)) == {"Lancement"}
    enrolment.sign_contract(version="2026-1")
    assert titles(read_feed(token)) == {"Lancement", "Mon parcours"}


def test_an_agent_who_left_the_cohort_gets_nothing_more(enrolment):
    SessionFactory(cohort=enrolment.cohort, phase=1, participants=[enrolment])
    enrolment.withdrawn_at = timezone.now()
    enrolment.save()

    assert titles(read_feed(CalendarFeed.renew(enrolment.agent.user))) == set()


def test_a_leader_gets_every_session_they_lead_and_nothing_else(enrolment):
    cmc = RoleFactory(role=Role.CMC, organisation=enrolment.cohort.organisation).user
    enrolment.cohort.leaders.add(cmc)
    other = CohortFactory(organisation=enrolment.cohort.organisation)
    other.leaders.add(cmc)
    SessionFactory(cohort=enrolment.cohort, title="Séance collective", participants=[enrolment])
    SessionFactory(cohort=other, kind="entretien", title="Entretien", participants=[])
    SessionFactory(cohort=other, title="Annulée", cancelled_at=timezone.now())
    SessionFactory(cohort=CohortFactory(), title="D’un autre conseiller")
    SessionFactory(
        cohort=other, title="Il y a longtemps", starts_at=timezone.now() - datetime.timedelta(200)
    )

    calendar = read_feed(CalendarFeed.renew(cmc))

    assert titles(calendar) == {"Séance collective", "Entretien"}
    urls = {str(event["URL"]) for event in calendar.walk("VEVENT")}
    assert urls == {
        settings.SITE_URL + reverse("cohorts:detail", args=[c.pk])
        for c in (enrolment.cohort, other)
    }


def test_a_provider_s_feed_drops_a_cohort_once_its_access_ends():
    consultant = RoleFactory(for_provider=True).user
    provider = consultant.role_assignments.get().provider
    ended = CohortFactory(provider=provider, concluded_at=timezone.now() - datetime.timedelta(45))
    running = CohortFactory(provider=provider)
    for cohort in (ended, running):
        cohort.leaders.add(consultant)
        SessionFactory(
            cohort=cohort,
            title=f"Séance de {cohort.title}",
            starts_at=timezone.now() - datetime.timedelta(50),
        )

    assert titles(read_feed(CalendarFeed.renew(consultant))) == {f"Séance de {running.title}"}


def test_the_feed_holds_nothing_confidential(enrolment):
    SynthesisFactory(enrolment=enrolment, written=True)
    cmc = RoleFactory(role=Role.CMC, organisation=enrolment.cohort.organisation).user
    enrolment.cohort.leaders.add(cmc)
    SessionFactory(
        cohort=enrolment.cohort, kind="entretien", title="Entretien", participants=[enrolment]
    )

    content = Client().get(feed_url(CalendarFeed.renew(cmc))).content.decode()

    assert "BEGIN:VEVENT" in content
    assert enrolment.agent.user.last_name not in content
    assert enrolment.agent.user.email not in content
    assert SAMPLE_CONTENT["sections"]["needs"][:30] not in content


def test_an_unknown_or_replaced_address_is_a_404(enrolment):
    user = enrolment.agent.user
    old = CalendarFeed.renew(user)
    new = CalendarFeed.renew(user)

    assert Client().get(feed_url(old)).status_code == 404
    assert Client().get(feed_url("n-importe-quoi")).status_code == 404
    assert Client().get(feed_url(new)).status_code == 200


def test_the_address_of_a_deactivated_account_is_a_404(enrolment):
    token = CalendarFeed.renew(enrolment.agent.user)
    enrolment.agent.user.is_active = False
    enrolment.agent.user.save()

    assert Client().get(feed_url(token)).status_code == 404


def test_the_feed_is_kept_by_no_cache_and_opens_no_session(enrolment):
    response = Client().get(feed_url(CalendarFeed.renew(enrolment.agent.user)))

    assert {"no-store", "private"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    assert not response.cookies


def test_a_calendar_application_may_ask_with_head(enrolment):
    token = CalendarFeed.renew(enrolment.agent.user)

    assert Client().head(feed_url(token)).status_code == 200
    assert Client().post(feed_url(token)).status_code == 405


def test_the_feed_runs_the_same_queries_whatever_the_data(enrolment):
    cmc = RoleFactory(role=Role.CMC, organisation=enrolment.cohort.organisation).user
    enrolment.cohort.leaders.add(cmc)
    token = CalendarFeed.renew(cmc)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            read_feed(token)
        return len(captured)

    SessionFactory(cohort=enrolment.cohort, participants=[enrolment])
    few = queries()
    for _ in range(5):
        cohort = CohortFactory(organisation=enrolment.cohort.organisation)
        cohort.leaders.add(cmc)
        SessionFactory(cohort=cohort, participants=[EnrolmentFactory(cohort=cohort)])

    assert queries() == few <= 5

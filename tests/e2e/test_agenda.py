"""The leaders' week view, the provider's home and the calendar subscription, in Chromium:
accessible, and readable on a 390 px wide phone without scrolling sideways."""

import re
from urllib.parse import urlsplit

from django.test import Client
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from tests.cohorts.factories import CohortFactory, EnrolmentFactory, SessionFactory
from tests.e2e.conftest import NO_SIDEWAYS_SCROLL

PHONE = {"width": 390, "height": 844}


def test_the_week_view_holds_on_a_phone(world, login_as, assert_accessible):
    SessionFactory(
        cohort=world.cohort,
        kind="entretien",
        title="Point d’étape individuel avec un intitulé plutôt long",
        starts_at=timezone.now().replace(microsecond=0),
        place="",
        video_link="https://visio.numerique.gouv.fr/une-salle-au-nom-tres-long-sans-espace-0123456789",
        participants=[world.enrolment],
    )
    page = login_as(world.users["cmc"])
    page.set_viewport_size(PHONE)

    page.goto("/agenda/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda")
    expect(page.get_by_text("Point d’étape individuel")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert_accessible(page)
    page.get_by_role("link", name="Semaine suivante").click()
    expect(page.get_by_role("link", name="Cette semaine")).to_be_visible()
    assert_accessible(page)


def test_the_provider_home_holds_on_a_phone(world, login_as, assert_accessible):
    consultant = world.users["provider"]
    cohort = CohortFactory(organisation=world.organisation, provider=world.provider_organisation)
    cohort.leaders.add(consultant)
    SessionFactory(cohort=cohort, participants=[EnrolmentFactory(cohort=cohort)])
    page = login_as(consultant)
    page.set_viewport_size(PHONE)

    page.goto("/prestataire/")

    expect(page.get_by_text(cohort.title).first).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert_accessible(page)


def test_an_agent_creates_their_calendar_address(world, login_as, assert_accessible):
    SessionFactory(
        cohort=world.cohort, phase=1, title="Séance de lancement", participants=[world.enrolment]
    )
    page = login_as(world.users["enrolled_agent"])

    page.goto("/compte/")
    page.get_by_role("link", name="Créer mon adresse d’abonnement").click()
    assert_accessible(page)
    page.get_by_role("button", name="Créer l’adresse").click()

    message = page.get_by_text("Votre adresse d’abonnement :")
    expect(message).to_be_visible()
    expect(page.get_by_role("link", name="Remplacer mon adresse d’abonnement")).to_be_visible()
    assert_accessible(page)

    # What a calendar client reads at that address, signed in nowhere: the launch session;
    # not yet those of phase 2, before the agent signs the contract.
    address = re.search(r"https?://\S+", message.inner_text()).group()
    feed = Client().get(urlsplit(address).path)
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    summaries = [str(event["SUMMARY"]) for event in Calendar.from_ical(feed.content).walk("VEVENT")]
    assert summaries == [f"Séance de lancement — {world.cohort.title}"]

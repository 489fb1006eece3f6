"""Attendance in Chromium: the leader shows the code, the agent signs from their phone (a
second browser context), the grid shows the signature; every page checked by axe at the
width of a phone (390 px) and of a laptop (1280 px)."""

import datetime

from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from cohorts.models import Attendance, SessionKind
from tests.cohorts.factories import SessionFactory

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


def phone_of(user, browser, live_server):
    """A second browser, the agent's phone, signed in as `user`."""
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris", viewport=PHONE
    )
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def test_the_agent_signs_with_the_code_the_leader_shows(
    world, browser, live_server, login_as, assert_accessible, csp_violations
):
    world.enrolment.sign_contract(version="2026-01")
    session = SessionFactory(
        cohort=world.cohort,
        phase=2,
        kind=SessionKind.COLLECTIVE,
        title="Mes compétences",
        starts_at=timezone.now() - datetime.timedelta(minutes=10),
        participants=[world.enrolment],
        video_link="https://visio.exemple.gouv.fr/bpp",
    )

    # The leader opens the attendance grid, then shows the code.
    page = login_as(world.users["cmc"])
    for viewport in (PHONE, LAPTOP):
        page.set_viewport_size(viewport)
        page.goto(f"/seances/{session.pk}/emargement/")
        assert_accessible(page)
    page.get_by_role("link", name="Afficher le code d’émargement").click()
    expect(page.get_by_text("Code de la séance")).to_be_visible()
    for viewport in (PHONE, LAPTOP):
        page.set_viewport_size(viewport)
        assert_accessible(page)
    code = page.locator(".bpp-code__value [aria-hidden]").inner_text().replace(" ", "")
    assert len(code) == 6

    # On their phone, the agent opens the session from their page and types the code.
    phone = phone_of(world.users["enrolled_agent"], browser, live_server)
    try:
        agent_page = phone.new_page()
        agent_page.goto("/agent/")
        agent_page.get_by_role("link", name="Signer ma présence : Mes compétences").click()
        assert_accessible(agent_page)
        agent_page.get_by_label("Code de la séance").fill(code.lower())
        agent_page.get_by_role("button", name="Signer ma présence").click()
        expect(agent_page.get_by_text("Votre présence est signée")).to_be_visible()
        expect(agent_page.get_by_text("Signé avec le code à")).to_be_visible()
        assert_accessible(agent_page)
        assert csp_violations(agent_page) == []
    finally:
        phone.close()

    attendance = Attendance.objects.get(session=session)
    assert (attendance.status, attendance.method) == ("present", "code")

    # The leader's grid shows the signature; « Tous présents » records the others.
    page.goto(f"/seances/{session.pk}/emargement/")
    expect(page.get_by_text("Signé avec le code à")).to_be_visible()
    page.get_by_role("button", name="Tous présents").click()
    expect(page.get_by_text("Tous les agents non relevés sont notés présents")).to_be_visible()
    page.get_by_role("link", name="Certifier l’émargement").click()
    for viewport in (PHONE, LAPTOP):
        page.set_viewport_size(viewport)
        assert_accessible(page)
    page.get_by_role("button", name="Je certifie l’émargement").click()
    expect(page.get_by_text("Émargement certifié")).to_be_visible()
    assert_accessible(page)
    assert csp_violations(page) == []


def test_the_code_page_shows_the_next_code_by_itself(world, login_as, csp_violations):
    session = SessionFactory(
        cohort=world.cohort,
        starts_at=timezone.now() - datetime.timedelta(minutes=10),
        participants=[world.enrolment],
    )
    page = login_as(world.users["cmc"])
    page.goto(f"/seances/{session.pk}/emargement/code/")
    first = page.locator(".bpp-code__value [aria-hidden]").inner_text()

    expect(page.locator(".bpp-code__value [aria-hidden]")).not_to_have_text(first, timeout=35_000)
    assert csp_violations(page) == []


def test_the_agent_confirms_a_remote_session_from_their_phone(
    world, browser, live_server, assert_accessible
):
    world.enrolment.sign_contract(version="2026-01")
    session = SessionFactory(
        cohort=world.cohort,
        starts_at=timezone.now() - datetime.timedelta(minutes=5),
        participants=[world.enrolment],
        place="",
        video_link="https://visio.exemple.gouv.fr/bpp",
    )
    phone = phone_of(world.users["enrolled_agent"], browser, live_server)
    try:
        page = phone.new_page()
        page.goto(f"/seances/{session.pk}/signer/")
        page.get_by_role("button", name="Je confirme ma présence à distance").click()
        expect(page.get_by_text("Confirmé à distance à")).to_be_visible()
        assert_accessible(page)
    finally:
        phone.close()

    assert Attendance.objects.get(session=session).method == "distance"


def test_the_interview_series_form_is_accessible(world, login_as, assert_accessible):
    page = login_as(world.users["cmc"])
    for viewport in (PHONE, LAPTOP):
        page.set_viewport_size(viewport)
        page.goto(f"/promotions/{world.cohort.pk}/entretiens/nouveaux/")
        assert_accessible(page)
    page.get_by_role("button", name="Programmer et convoquer").click()
    expect(page.get_by_text("Cochez au moins un agent.").first).to_be_visible()
    assert_accessible(page)

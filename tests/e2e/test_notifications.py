"""« Mes notifications » and the lists in tabs, in Chromium: accessible, readable on a
390 px wide phone without scrolling sideways, the unread count in the header."""

import pytest
from playwright.sync_api import expect

from bpp import mailer
from tests.e2e.conftest import NO_SIDEWAYS_SCROLL

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_the_agent_opens_a_message_from_their_notifications(world, login_as, assert_accessible):
    agent = world.users["agent"]
    mailer.send("requests/received", [agent], review_request=world.request, url="http://x/1/")
    page = login_as(agent)
    page.set_viewport_size(PHONE)

    page.goto("/notifications/")

    expect(page.get_by_text("Non lu", exact=True).first).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert_accessible(page)
    page.get_by_role(
        "button", name="Votre demande de bilan de parcours a bien été reçue"
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Votre demande de bilan de parcours a bien été reçue"
    )
    expect(page.get_by_role("link", name="Suivez votre demande")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert_accessible(page)


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("manager", "/encadrement/?onglet=equipe"),
        ("manager", "/demandes/a-decider/?onglet=toutes"),
        ("hr", "/rh/?onglet=demandes"),
        ("cmc", "/promotions/?onglet=phase-2"),
    ],
)
def test_the_tabs_are_accessible_and_fit_a_phone(world, login_as, assert_accessible, persona, url):
    page = login_as(world.users[persona])
    page.set_viewport_size(PHONE)

    page.goto(url)

    expect(page.locator("[aria-current=page].fr-tag").first).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert_accessible(page)

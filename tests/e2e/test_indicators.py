"""The indicators page in Chromium: charts with a text alternative, no axe violation."""

import datetime

from playwright.sync_api import expect

from tests.people.factories import AgentFactory
from tests.requests.factories import ReviewRequestFactory


def test_the_indicators_page_is_accessible(world, login_as, assert_accessible):
    for _ in range(7):
        ReviewRequestFactory(
            agent=AgentFactory(organisation=world.organisation, service=world.service),
            received_on=datetime.date(2026, 3, 2),
        )
    page = login_as(world.users["hr_admin"])

    page.goto("/indicateurs/")

    expect(page.get_by_role("img", name="Demandes reçues et leurs suites")).to_be_visible()
    expect(page.get_by_role("row", name="Demandes reçues")).to_be_visible()
    assert_accessible(page)

"""The employer's quality index, its yearly answers and its self-assessment, in Chromium:
readable on a phone and on a desktop, charts with a text alternative, no axe violation."""

import datetime

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from bpp.requests import deadlines
from cohorts.models import Evaluation
from tests.cohorts.factories import CohortFactory, EnrolmentFactory
from tests.people.factories import AgentFactory
from tests.requests.factories import ReviewRequestFactory


def test_the_index_and_its_yearly_forms_hold_at_both_widths(world, login_as, assert_holds):
    today = deadlines.legal_today()
    for category in "AAABBBCC":
        ReviewRequestFactory(
            agent=AgentFactory(
                organisation=world.organisation, service=world.service, category=category
            ),
            received_on=today,
        )
    for score in (6, 8, 9, 9, 10, 10):
        Evaluation.objects.create(
            enrolment=EnrolmentFactory(cohort=CohortFactory(organisation=world.organisation)),
            kind=Evaluation.Kind.HOT,
            sent_at=timezone.now() - datetime.timedelta(hours=2),
            answered_at=timezone.now() - datetime.timedelta(hours=1),
            overall_score=score,
        )
    page = login_as(world.users["hr_admin"])
    args = [world.organisation.pk, today.year]

    assert_holds(page, reverse("portals:quality_index", args=args))
    expect(page.get_by_role("heading", name="Les 7 indicateurs de l’index")).to_be_visible()
    assert_holds(page, reverse("portals:quality_declaration", args=args))
    assert_holds(page, reverse("portals:quality_criteria", args=args))

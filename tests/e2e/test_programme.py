"""The programme in Chromium: the agent receives an exercise, answers it in their
workbook, shows it to the leader, and copies it into their synthesis."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from bpp.requests import deadlines
from cohorts.jobs import send_programme
from cohorts.models import Anchor, Cohort, CohortPhase, Enrolment, ItemKind, ProgrammeItem
from synthesis.models import Synthesis

pytestmark = pytest.mark.e2e

ORAL = "2.4.1. Synthèse du parcours présenté à l’oral par l’agent"


def test_the_agent_receives_answers_and_copies_an_exercise_into_the_synthesis(
    world, login_as, assert_accessible, csp_violations
):
    cohort, enrolment = world.cohort, world.enrolment
    today = deadlines.legal_today()
    # Phase 2 started two days ago; the agent signed the contract.
    Cohort.objects.filter(pk=cohort.pk).update(current_phase=2)
    CohortPhase.objects.filter(cohort=cohort, number=2).update(
        starts_on=today - datetime.timedelta(days=2), ends_on=today + datetime.timedelta(days=19)
    )
    Enrolment.objects.filter(pk=enrolment.pk).update(
        contract_signed_at=world.enrolment.placed_at, contract_version="1"
    )
    # The leader's programme for this cohort: one exercise, due today.
    ProgrammeItem.objects.create(
        cohort=cohort,
        phase=2,
        anchor=Anchor.PHASE_START,
        offset_days=2,
        kind=ItemKind.EXERCISE,
        title="Mon parcours en trois phrases",
        body="Présentez votre parcours comme vous le feriez au groupe.",
        section="oral_summary",
    )
    assert send_programme() == 1

    # The agent finds it in their notifications, and follows its link.
    page = login_as(enrolment.agent.user)
    page.goto("/notifications/")
    page.get_by_role("button", name="Exercice : Mon parcours en trois phrases").first.click()
    link = page.get_by_role("link", name="Répondre à l’exercice")
    page.goto(urlsplit(link.get_attribute("href")).path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon parcours en trois phrases")
    assert_accessible(page)

    # They answer, then show the answer to the leader.
    page.get_by_label("Votre réponse").fill("Comptable, puis acheteuse, demain cheffe de projet.")
    page.get_by_role("button", name="Enregistrer ma réponse").click()
    expect(page.get_by_text("Votre réponse est enregistrée")).to_be_visible()
    page.get_by_role("button", name="Montrer à l’animateur").click()
    expect(page.get_by_text("L’animateur peut lire cette réponse.")).to_be_visible()
    assert_accessible(page)

    # One click copies it into the synthesis, in the agent's draft, to reread and save.
    page.get_by_role("button", name="Copier dans ma synthèse").click()
    expect(page.get_by_text("Votre réponse est ajoutée à la section 2.4.1")).to_be_visible()
    expect(page.get_by_label(ORAL)).to_have_value(
        re.compile("Comptable, puis acheteuse, demain cheffe de projet.$")
    )
    page.get_by_role("button", name="Enregistrer").first.click()
    expect(page.get_by_text("Synthèse enregistrée")).to_be_visible()
    content = Synthesis.objects.get(pk=world.synthesis.pk).current().content
    assert content["sections"]["oral_summary"].endswith("demain cheffe de projet.")

    # The leader reads the answer shown to them on the cohort's programme.
    page = login_as(world.users["cmc"])
    page.goto(f"/promotions/{cohort.pk}/programme/")
    expect(page.get_by_text("Comptable, puis acheteuse")).to_be_visible()
    assert_accessible(page)

    # The agent's programme says what was sent.
    page = login_as(enrolment.agent.user)
    page.goto("/agent/mon-programme/")
    expect(page.get_by_text(re.compile("Envoyé le"))).to_be_visible()
    assert_accessible(page)
    assert csp_violations(page) == []

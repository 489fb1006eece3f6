"""A request from the agent's form to the manager's decision, in the browser."""

import re

from playwright.sync_api import expect

from bpp.requests.models import ReviewRequest, Status


def test_the_agent_asks_and_sees_the_deadline_then_the_manager_refuses_with_a_reason(
    world, login_as, assert_accessible
):
    world.request.delete()  # the agent starts with no request running
    page = login_as(world.users["agent"])
    page.goto("/agent/")
    page.get_by_role("link", name="Demander un bilan de parcours").click()
    assert_accessible(page)

    page.get_by_role("button", name="Envoyer ma demande").click()
    # The summary at the top links to the field, which shows its own error.
    expect(page.get_by_role("link", name="Vos besoins et vos attentes")).to_be_visible()
    expect(
        page.locator(".fr-error-text", has_text="Décrivez vos besoins et vos attentes")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Vos besoins et vos attentes").fill("Préparer une mobilité vers l’eau.")
    page.get_by_text("Non", exact=True).click()
    page.get_by_text("À distance").click()
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_role("heading", name="Ma demande de bilan de parcours")).to_be_visible()
    expect(page.get_by_text("Réponse attendue au plus tard le", exact=False).first).to_be_visible()
    assert_accessible(page)

    page = login_as(world.users["manager"])
    page.goto("/demandes/a-decider/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Décider la demande d")).click()
    page.get_by_role("link", name="Décider", exact=True).click()
    page.get_by_text("Refuser la demande").click()
    page.get_by_role("textbox", name="Motif").fill("Sous-effectif jusqu’en juin.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("La demande est refusée")).to_be_visible()
    assert_accessible(page)

    review_request = ReviewRequest.objects.get(agent__user=world.users["agent"])
    assert review_request.status == Status.REFUSED


def test_the_cohort_pages_are_accessible(world, login_as, assert_accessible):
    page = login_as(world.users["cmc"])
    for url in (
        "/promotions/",
        "/file-d-attente/",
        f"/promotions/{world.cohort.pk}/",
        f"/promotions/{world.cohort.pk}/avancer/",
        "/promotions/nouvelle/",
    ):
        page.goto(url)
        assert_accessible(page)

    page = login_as(world.users["agent"])
    page.goto("/offre/")
    assert_accessible(page)


def test_the_session_and_questionnaire_pages_are_accessible(world, login_as, assert_accessible):
    page = login_as(world.users["cmc"])
    for url in (
        f"/promotions/{world.cohort.pk}/seances/nouvelle/",
        f"/seances/{world.session.pk}/modifier/",
        f"/seances/{world.session.pk}/annuler/",
        f"/seances/{world.session.pk}/emargement/",
        f"/promotions/{world.cohort.pk}/satisfaction/",
    ):
        page.goto(url)
        assert_accessible(page)

    page = login_as(world.enrolment.agent.user)
    for url in (
        "/agent/",
        f"/inscriptions/{world.enrolment.pk}/contrat/",
        f"/questionnaires/{world.evaluation.pk}/",
    ):
        page.goto(url)
        assert_accessible(page)

"""The whole journey in Chromium, every page checked by axe-core (WCAG 2.1 A and AA)."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from bpp.requests import deadlines
from bpp.requests.models import ReviewRequest, Status
from cohorts.models import Enrolment, SessionKind
from tests.cohorts.factories import SessionFactory
from tests.requests.factories import ReviewRequestFactory
from tests.synthesis.factories import in_phase_4

CERTIFY = "Je certifie avoir relu cette version et la signe."


def test_from_the_request_to_the_shared_then_revoked_synthesis(
    world, login_as, assert_accessible, csp_violations
):
    agent, manager, cmc = world.users["agent"], world.users["manager"], world.users["cmc"]
    world.request.delete()

    # The agent asks for a review.
    page = login_as(agent)
    page.goto("/agent/")
    page.get_by_role("link", name="Demander un bilan de parcours").click()
    page.get_by_label("Vos besoins et vos attentes").fill("Évoluer vers le pilotage de projets.")
    page.get_by_text("Non", exact=True).click()
    page.get_by_text("Sans préférence").click()
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_text("Réponse attendue au plus tard le").first).to_be_visible()
    assert_accessible(page)

    # The manager approves it.
    page = login_as(manager)
    page.goto("/encadrement/")
    assert_accessible(page)
    page.goto("/demandes/a-decider/")
    page.get_by_role("link", name=re.compile("^Décider la demande d")).click()
    page.get_by_role("link", name="Décider", exact=True).click()
    page.get_by_text("Accepter la demande").click()
    page.get_by_role("button", name="Enregistrer la décision").click()
    assert_accessible(page)
    assert ReviewRequest.objects.get(agent__user=agent).status == Status.APPROVED

    # The CMC places the agent from the dashboard's queue.
    page = login_as(cmc)
    page.goto("/conseiller/")
    assert_accessible(page)
    page.get_by_role("link", name="Placer depuis la file d’attente").click()
    assert_accessible(page)
    page.get_by_role(
        "link", name=f"Choisir « {world.cohort.title} » pour {agent.get_full_name()}"
    ).click()
    assert_accessible(page)
    page.get_by_role("button", name="Vérifier le choix").click()
    assert_accessible(page)
    page.get_by_role("button", name="Confirmer l’inscription").click()
    expect(
        page.get_by_text(f"Inscription dans « {world.cohort} » : {agent.get_full_name()}")
    ).to_be_visible()
    enrolment = Enrolment.objects.get(agent__user=agent)

    # A session is held; the CMC records the attendance.
    session = SessionFactory(
        cohort=world.cohort,
        phase=1,
        kind=SessionKind.COLLECTIVE,
        title="Séance de lancement",
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        participants=[enrolment],
    )
    page.goto(f"/seances/{session.pk}/emargement/")
    page.get_by_label(f"{enrolment.agent} : présent", exact=True).check()
    page.get_by_role("button", name="Enregistrer l’émargement").click()
    expect(page.get_by_text("L’émargement est enregistré")).to_be_visible()
    assert session.attendances.get().status == "present"

    # In phase 4, the agent writes and finalises the synthesis, then signs it.
    in_phase_4(world.cohort)
    page = login_as(agent)
    page.goto("/agent/")
    page.get_by_role("link", name=re.compile("Mon document de synthèse")).click()
    page.get_by_role("link", name="Rédiger").click()
    page.get_by_label("1.1. Besoins et attentes de l’agent").fill("Piloter des projets.")
    page.get_by_label("4.1. Points de conclusion").fill("Formation puis immersion.")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("link", name="Finaliser").click()
    page.get_by_role("button", name=re.compile("Finaliser la version")).click()
    page.get_by_role("link", name="Signer").click()
    page.get_by_label(CERTIFY).check(force=True)
    page.get_by_role("button", name="Signer").click()
    synthesis_url = page.url

    # The CMC co-signs from the dashboard.
    page = login_as(cmc)
    page.goto("/conseiller/")
    page.get_by_role("region", name="Synthèses à signer").get_by_role(
        "link", name=agent.get_full_name()
    ).click()
    page.get_by_label(CERTIFY).check(force=True)
    page.get_by_role("button", name="Signer").click()
    expect(page.get_by_text("elle est verrouillée").first).to_be_visible()

    # The agent downloads the PDF and shares it with the manager, who reads it.
    page = login_as(agent)
    page.goto(synthesis_url)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.get_by_role("link", name="Partage et lectures").click()
    page.get_by_role("button", name=re.compile("Partager avec mon supérieur")).click()
    page = login_as(manager)
    page.goto("/encadrement/?onglet=syntheses")
    page.get_by_role("link", name=agent.get_full_name()).last.click()
    expect(page.get_by_text("Piloter des projets.")).to_be_visible()
    assert_accessible(page)

    # The agent revokes: the manager cannot read it any more.
    page = login_as(agent)
    page.goto(synthesis_url + "partage/")
    page.get_by_role("button", name=re.compile("Retirer l’accord")).click()
    page = login_as(manager)
    assert page.goto(synthesis_url).status == 404
    assert csp_violations(page) == []


def test_a_request_left_unanswered_shows_as_implicitly_rejected_to_both(
    world, login_as, assert_accessible
):
    world.request.delete()
    received = deadlines.legal_today() - datetime.timedelta(days=70)
    ReviewRequestFactory(agent=world.users["agent"].agent_profile, received_on=received)

    page = login_as(world.users["agent"])
    page.goto("/agent/")
    expect(page.get_by_text("Rejetée implicitement").first).to_be_visible()
    assert_accessible(page)

    page = login_as(world.users["manager"])
    page.goto("/encadrement/?onglet=decidees")
    expect(page.get_by_text("Rejetée implicitement").first).to_be_visible()
    assert_accessible(page)

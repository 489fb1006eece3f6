"""The synthesis in Chromium: write, finalise, co-sign, download, share and revoke."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from synthesis.models import Status, Synthesis
from tests.people.factories import RoleFactory
from tests.synthesis.factories import in_phase_4


def test_the_agent_and_the_leader_write_sign_and_share_the_synthesis(
    world, login_as, assert_accessible, csp_violations
):
    enrolment = world.enrolment
    agent = enrolment.agent
    agent.manager = world.users["manager"]
    agent.save()
    page = login_as(agent.user)

    # The agent opens it from their space and writes.
    page.goto("/agent/")
    page.get_by_role("link", name=re.compile("Mon document de synthèse")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon document de synthèse")
    assert_accessible(page)
    page.get_by_role("link", name="Rédiger").click()
    assert_accessible(page)
    page.get_by_label("1.1. Besoins et attentes de l’agent").fill("Devenir cheffe de projet.")
    page.get_by_label("2.5. Prise en compte de la situation personnelle").fill("Aidante.")
    page.get_by_label("Intitulé de l’action").first.fill("Formation à la conduite de projet")
    page.get_by_label("Étapes").first.fill("S’inscrire\nSuivre la formation")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Synthèse enregistrée")).to_be_visible()
    expect(page.get_by_text("Formation à la conduite de projet").first).to_be_visible()

    # Phase 4, the conclusion: finalise (confirmation page), then sign.
    in_phase_4(world.cohort)
    page.reload()
    page.get_by_role("link", name="Finaliser").click()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Finaliser la version")).click()
    page.get_by_role("link", name="Signer").click()
    assert_accessible(page)
    page.get_by_label("Je certifie avoir relu cette version et la signe.").check(force=True)
    page.get_by_role("button", name="Signer").click()
    expect(page.get_by_text("Votre signature est enregistrée")).to_be_visible()
    expect(page.get_by_text("Signée par l’agent, en attente du professionnel")).to_be_visible()

    # The leader co-signs: the document is locked.
    page = login_as(world.users["cmc"])
    page.goto(f"/syntheses/{world.synthesis.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Signer").click()
    page.get_by_label("Je certifie avoir relu cette version et la signe.").check(force=True)
    page.get_by_role("button", name="Signer").click()
    expect(page.get_by_text("elle est verrouillée").first).to_be_visible()
    assert Synthesis.objects.get(pk=world.synthesis.pk).status == Status.SIGNED

    # The agent downloads the PDF and shares it with the manager.
    page = login_as(agent.user)
    page.goto(f"/syntheses/{world.synthesis.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.get_by_role("link", name="Partage et lectures").click()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Partager avec mon supérieur")).click()
    expect(page.get_by_text("peut désormais lire votre synthèse")).to_be_visible()

    # The manager reads it, without the personal situation.
    page = login_as(world.users["manager"])
    page.goto("/syntheses/")
    page.get_by_role("link", name=agent.user.get_full_name()).click()
    expect(page.get_by_text("Devenir cheffe de projet.")).to_be_visible()
    expect(page.get_by_text("Aidante.")).to_have_count(0)
    assert_accessible(page)

    # The agent sees that read, then revokes: the manager gets a 404 at once.
    page = login_as(agent.user)
    page.goto(f"/syntheses/{world.synthesis.pk}/partage/")
    reads = page.get_by_role("list").filter(has_text="a lu votre synthèse")
    expect(reads.get_by_text(world.users["manager"].get_full_name())).to_be_visible()
    page.get_by_role("button", name=re.compile("Retirer l’accord")).first.click()
    page = login_as(world.users["manager"])
    response = page.goto(f"/syntheses/{world.synthesis.pk}/")
    assert response.status == 404
    assert csp_violations(page) == []


def test_a_provider_s_old_link_answers_410_gone(world, login_as, assert_accessible):
    cohort = world.cohort
    cohort.provider = world.provider_organisation
    cohort.provider_contract = world.contract
    cohort.provider_reason = "Aucun conseiller disponible."
    cohort.concluded_at = timezone.now()  # the agent chooses at the end of the cohort
    cohort.save()
    world.synthesis.decide_transmission(to=None)
    consultant = RoleFactory(for_provider=True, provider=world.provider_organisation).user
    cohort.leaders.add(consultant)
    page = login_as(consultant)

    response = page.goto(f"/syntheses/{world.synthesis.pk}/")

    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès terminé")
    assert_accessible(page)


def test_the_editor_saves_a_draft_by_itself_and_its_contents_jump_to_each_section(
    world, login_as, assert_accessible, csp_violations, settings
):
    settings.SYNTHESIS_AUTOSAVE_SECONDS = 1
    page = login_as(world.enrolment.agent.user)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/syntheses/{world.synthesis.pk}/rediger/")
    assert_accessible(page)

    # The table of contents jumps to a section far down the page.
    contents = page.get_by_role("navigation", name="Sommaire")
    oral = "2.4.1. Synthèse du parcours présenté à l’oral par l’agent"
    contents.get_by_role("link", name=oral).click()
    expect(page).to_have_url(re.compile("#id_oral_summary$"))
    expect(page.get_by_label(oral)).to_be_in_viewport()
    contents_state = contents.locator('[data-section-state="oral_summary"]')
    expect(contents_state).to_have_text("vide")

    # Typing there saves a draft a moment later, and the contents say it is started.
    page.get_by_label(oral).fill("Formation, puis immersion.")
    expect(page.get_by_role("status")).to_have_text(re.compile("Brouillon enregistré à"))
    expect(contents_state).to_have_text("commencée")
    synthesis = Synthesis.objects.get(pk=world.synthesis.pk)
    assert synthesis.version == 1  # no version: a draft
    assert (
        synthesis.drafts.get().content["sections"]["oral_summary"] == "Formation, puis immersion."
    )
    no_overflow = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_overflow
    assert_accessible(page)

    # The leader saves a version meanwhile: the agent's next draft is refused, said in the page.
    synthesis.save_version(
        by=world.users["cmc"],
        based_on=1,
        content={"sections": {"needs": "Par le CMC"}},
        personal_situation="",
    )
    page.get_by_label("1.1. Besoins et attentes de l’agent").fill("Encore un mot.")
    expect(page.get_by_role("status")).to_contain_text("Brouillon non enregistré")
    expect(page.get_by_role("status")).to_contain_text(world.users["cmc"].get_full_name())
    assert Synthesis.objects.get(pk=world.synthesis.pk).current().content["sections"] == {
        "needs": "Par le CMC"
    }
    assert csp_violations(page) == []

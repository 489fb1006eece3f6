"""The editor and the document: a table of contents, finalising in phase 4 after a
confirmation listing the empty sections, the status after each signature."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from cohorts.models import Cohort, Phase
from synthesis.models import Status
from tests.synthesis.factories import SynthesisFactory, in_phase_4, leader_of

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def state_of(page: str, key: str) -> str:
    found = re.search(rf'data-section-state="{key}">([^<]+)<', page)
    assert found, f"no state for {key}"
    return found.group(1)


def test_the_editor_has_a_table_of_contents_with_each_section_s_state():
    synthesis = SynthesisFactory(written=True)

    page = login(synthesis.enrolment.agent.user).get(reverse("synthesis:edit", args=[synthesis.pk]))

    html = page.content.decode()
    assert 'aria-labelledby="sommaire-titre"' in html
    assert state_of(html, "needs") == "commencée"
    assert state_of(html, "oral_summary") == "vide"
    assert state_of(html, "personal_situation") == "commencée"
    assert state_of(html, "action_plan") == "commencée"
    # Each link jumps to its field.
    for key in ("needs", "oral_summary", "personal_situation", "action_plan", "schemes"):
        assert f'href="#id_{key}"' in html and f'id="id_{key}"' in html


def test_the_document_has_a_table_of_contents_without_2_5_for_a_reader(world):
    agent = world.synthesis.enrolment.agent
    agent.manager = world.users["manager"]
    agent.save()
    from synthesis.models import grant

    grant(world.synthesis, "manager")
    url = reverse("synthesis:detail", args=[world.synthesis.pk])

    own = login(agent.user).get(url).content.decode()
    shared = world.client("manager").get(url).content.decode()

    assert 'href="#section-needs"' in own and 'id="section-needs"' in own
    assert 'href="#section-personal_situation"' in own
    assert 'href="#section-needs"' in shared
    assert 'href="#section-personal_situation"' not in shared
    assert "Retour au sommaire" in own


def test_outside_phase_4_the_agent_is_told_when_they_may_finalise():
    synthesis = SynthesisFactory(written=True)
    Cohort.objects.filter(pk=synthesis.enrolment.cohort_id).update(current_phase=Phase.ANALYSIS)
    client = login(synthesis.enrolment.agent.user)
    url = reverse("synthesis:finalise", args=[synthesis.pk])

    detail = client.get(reverse("synthesis:detail", args=[synthesis.pk])).content.decode()
    confirmation = client.get(url).content.decode()
    response = client.post(url)

    assert url not in detail and "se finalise en phase 4" in detail
    assert "se finalise en phase 4" in confirmation and "Finaliser la version" not in confirmation
    assert response.status_code == 302
    synthesis.refresh_from_db()
    assert synthesis.status == Status.DRAFT


def test_the_confirmation_lists_the_empty_sections():
    synthesis = SynthesisFactory(written=True)
    in_phase_4(synthesis.enrolment.cohort)
    client = login(synthesis.enrolment.agent.user)

    page = client.get(reverse("synthesis:finalise", args=[synthesis.pk])).content.decode()

    assert "sections vides" in page and "Non renseigné" in page
    assert "2.1.2. Expériences marquantes, réalisations significatives" in page
    assert "2.4.1. Synthèse du parcours présenté à l’oral par l’agent" in page
    assert "1.1. Besoins et attentes" not in page  # written
    assert "Finaliser la version 1" in page


def test_after_the_agent_signs_the_status_says_who_signed_and_who_is_awaited():
    synthesis = SynthesisFactory(finalised=True)
    agent, leader = synthesis.enrolment.agent.user, leader_of(synthesis)
    client = login(agent)
    detail = reverse("synthesis:detail", args=[synthesis.pk])
    before = client.get(detail).content.decode()

    signed = client.post(reverse("synthesis:sign", args=[synthesis.pk]), {"confirm": "on"})
    after = client.get(detail).content.decode()

    assert "Finalisée, en attente des signatures" in before
    assert signed.status_code == 302
    assert "Signée par l’agent, en attente du professionnel" in after
    assert f"Signée par <strong>{agent.get_full_name()}</strong>" in after
    assert f"En attente de la signature de <strong>{leader.get_full_name()}</strong>" in after
    assert f"Reste à signer : le professionnel qui accompagne, {leader.get_full_name()}" in after


def test_the_leaders_list_shows_the_agent_has_signed():
    synthesis = SynthesisFactory(finalised=True)
    leader = leader_of(synthesis)
    login(synthesis.enrolment.agent.user).post(
        reverse("synthesis:sign", args=[synthesis.pk]), {"confirm": "on"}
    )

    page = login(leader).get(reverse("synthesis:index")).content.decode()

    assert "Signée par l’agent" in page and "Attend votre signature" in page


def test_destroying_is_styled_as_destructive_and_confirmed():
    synthesis = SynthesisFactory(written=True)
    client = login(synthesis.enrolment.agent.user)

    detail = client.get(reverse("synthesis:detail", args=[synthesis.pk])).content.decode()
    confirmation = client.get(reverse("synthesis:destroy", args=[synthesis.pk])).content.decode()

    link = re.search(r'<a class="([^"]+)" href="[^"]+/detruire/">Demander sa destruction', detail)
    assert link and {"fr-btn--secondary", "bpp-btn--danger", "fr-icon-delete-line"} <= set(
        link.group(1).split()
    )
    assert "bpp-btn--danger fr-icon-delete-line" in confirmation and "irréversible" in confirmation

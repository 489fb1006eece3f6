"""The editor's autosave: a draft per writer, never a version, never over newer work."""

import pytest
from django.test import Client
from django.urls import reverse

from synthesis.models import SynthesisDraft
from tests.synthesis.factories import SynthesisFactory, leader_of
from tests.synthesis.views.test_writing import form_data

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def autosave(client, synthesis, based_on, **overrides):
    return client.post(
        reverse("synthesis:autosave", args=[synthesis.pk]), form_data(based_on, **overrides)
    )


def test_it_saves_a_draft_and_no_version():
    synthesis = SynthesisFactory(written=True)
    client = login(synthesis.enrolment.agent.user)

    response = autosave(client, synthesis, 1, needs="En cours d’écriture")

    assert response.status_code == 200
    body = response.json()
    assert body["message"].startswith("Brouillon enregistré à ")
    assert body["draft_revision"] == 1
    assert body["started"]["needs"] is True and body["started"]["conclusions"] is False
    synthesis.refresh_from_db()
    assert synthesis.version == 1
    draft = SynthesisDraft.objects.get()
    assert draft.content["sections"]["needs"] == "En cours d’écriture"
    assert draft.personal_situation == "Aidant familial."


def test_it_refuses_with_409_when_someone_else_saved_a_newer_version():
    synthesis = SynthesisFactory(written=True)
    agent, leader = synthesis.enrolment.agent.user, leader_of(synthesis)
    agent_client, leader_client = login(agent), login(leader)
    # Both open the editor on version 1; the leader saves first.
    leader_client.post(
        reverse("synthesis:edit", args=[synthesis.pk]), form_data(1, needs="Texte du CMC")
    )

    response = autosave(agent_client, synthesis, 1, needs="Texte de l’agent")

    assert response.status_code == 409
    body = response.json()
    assert "Brouillon non enregistré" in body["message"]
    assert leader.get_full_name() in body["message"] and "version 2" in body["message"]
    assert body["link"] == reverse("synthesis:version", args=[synthesis.pk, 2])
    synthesis.refresh_from_db()
    assert synthesis.version == 2
    assert synthesis.current().content["sections"]["needs"] == "Texte du CMC"
    assert not SynthesisDraft.objects.filter(author=agent).exists()


def test_another_tab_s_older_draft_is_refused_with_409():
    synthesis = SynthesisFactory(written=True)
    client = login(synthesis.enrolment.agent.user)
    autosave(client, synthesis, 1, needs="Onglet A", draft_revision="0")

    response = autosave(client, synthesis, 1, needs="Onglet B", draft_revision="0")

    assert response.status_code == 409
    assert "autre fenêtre" in response.json()["message"]
    assert SynthesisDraft.objects.get().content["sections"]["needs"] == "Onglet A"


def test_an_invalid_form_is_refused_with_a_french_message_and_nothing_saved():
    synthesis = SynthesisFactory(written=True)
    client = login(synthesis.enrolment.agent.user)

    response = autosave(client, synthesis, 1, **{"actions-0-title": ""})

    assert response.status_code == 400
    assert "Donnez un intitulé à cette action" in response.json()["message"]
    assert not SynthesisDraft.objects.exists()


def test_a_finalised_synthesis_refuses_the_draft():
    synthesis = SynthesisFactory(finalised=True)
    client = login(synthesis.enrolment.agent.user)

    response = autosave(client, synthesis, 1)

    assert response.status_code == 409
    assert "finalisée" in response.json()["message"]


def test_get_is_not_allowed():
    synthesis = SynthesisFactory(written=True)
    client = login(synthesis.enrolment.agent.user)

    assert client.get(reverse("synthesis:autosave", args=[synthesis.pk])).status_code == 405


def test_the_editor_takes_up_the_user_s_own_draft_only():
    synthesis = SynthesisFactory(written=True)
    agent, leader = synthesis.enrolment.agent.user, leader_of(synthesis)
    agent_client = login(agent)
    autosave(agent_client, synthesis, 1, needs="Brouillon de l’agent")

    mine = agent_client.get(reverse("synthesis:edit", args=[synthesis.pk])).content.decode()
    theirs = login(leader).get(reverse("synthesis:edit", args=[synthesis.pk])).content.decode()

    assert "Brouillon de l’agent" in mine and "est repris ci-dessous" in mine
    assert 'name="draft_revision" value="1"' in mine
    assert "Brouillon de l’agent" not in theirs


def test_a_draft_older_than_the_latest_version_is_shown_with_a_warning():
    synthesis = SynthesisFactory(written=True)
    agent, leader = synthesis.enrolment.agent.user, leader_of(synthesis)
    agent_client = login(agent)
    autosave(agent_client, synthesis, 1, needs="Brouillon de l’agent")
    login(leader).post(
        reverse("synthesis:edit", args=[synthesis.pk]), form_data(1, needs="Texte du CMC")
    )

    page = agent_client.get(reverse("synthesis:edit", args=[synthesis.pk])).content.decode()

    assert "Votre brouillon date d’avant la version 2" in page
    assert leader.get_full_name() in page and "Brouillon de l’agent" in page
    # Saving now is based on version 2: the user has been shown it.
    assert 'name="based_on" value="2"' in page


def test_saving_a_version_ends_the_draft():
    synthesis = SynthesisFactory(written=True)
    client = login(synthesis.enrolment.agent.user)
    autosave(client, synthesis, 1, needs="Brouillon")

    client.post(reverse("synthesis:edit", args=[synthesis.pk]), form_data(1, needs="Brouillon"))

    synthesis.refresh_from_db()
    assert synthesis.version == 2 and not SynthesisDraft.objects.exists()


def test_discarding_a_draft_needs_a_confirmation():
    synthesis = SynthesisFactory(written=True)
    client = login(synthesis.enrolment.agent.user)
    autosave(client, synthesis, 1, needs="Brouillon")
    url = reverse("synthesis:discard_draft", args=[synthesis.pk])

    page = client.get(url).content.decode()
    unconfirmed = client.post(url, {})
    assert "sera perdu" in page and "bpp-btn--danger" in page
    assert unconfirmed.status_code == 200 and SynthesisDraft.objects.exists()

    response = client.post(url, {"confirm": "on"})

    assert response.status_code == 302 and not SynthesisDraft.objects.exists()
    synthesis.refresh_from_db()
    assert synthesis.version == 1


def test_a_reader_under_consent_may_not_save_a_draft(world):
    from synthesis.models import grant

    agent = world.synthesis.enrolment.agent
    agent.manager = world.users["manager"]
    agent.save()
    grant(world.synthesis, "manager")

    response = autosave(world.client("manager"), world.synthesis, 1)

    assert response.status_code == 404
    assert not SynthesisDraft.objects.exists()


def test_a_scheme_no_longer_offered_but_cited_stays_valid():
    from synthesis.models import Scheme

    synthesis = SynthesisFactory(written=True)  # cites the CPF
    Scheme.objects.filter(name="Compte personnel de formation (CPF)").update(active=False)
    client = login(synthesis.enrolment.agent.user)

    response = autosave(client, synthesis, 1, schemes=["Compte personnel de formation (CPF)"])

    assert response.status_code == 200, response.json()

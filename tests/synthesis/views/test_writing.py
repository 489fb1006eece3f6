"""Writing the synthesis in the browser: the agent and the leader, never overwriting."""

import pytest
from django.urls import reverse

from synthesis.models import Comment, Status, Synthesis
from tests.cohorts.factories import EnrolmentFactory
from tests.synthesis.factories import SynthesisFactory, in_phase_4, leader_of

pytestmark = pytest.mark.django_db


def form_data(based_on: int, **overrides) -> dict:
    data = {
        "based_on": based_on,
        "needs": "Devenir chef de projet.",
        "personal_situation": "Aidant familial.",
        "schemes": ["Bilan de compétences"],
        "schemes_other": "",
        "actions-TOTAL_FORMS": "2",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "8",
        "actions-0-title": "Suivre une formation",
        "actions-0-duration": "3 mois",
        "actions-0-due_on": "2027-06-30",
        "actions-0-steps": "S’inscrire\n\nSuivre la formation\n",
        "actions-1-title": "",
        "actions-1-duration": "",
        "actions-1-due_on": "",
        "actions-1-steps": "",
    }
    return data | overrides


def test_the_agent_opens_their_synthesis_from_their_space(client):
    synthesis = SynthesisFactory()
    client.force_login(synthesis.enrolment.agent.user)

    response = client.get(reverse("synthesis:mine"))

    assert response.status_code == 302
    assert response["Location"] == reverse("synthesis:detail", args=[synthesis.pk])


def test_opening_one_s_space_creates_nothing(client):
    enrolment = EnrolmentFactory()
    client.force_login(enrolment.agent.user)

    client.get(reverse("synthesis:mine"))

    assert not Synthesis.objects.exists()


def test_an_agent_without_a_cohort_is_told_when_it_opens(client):
    from tests.people.factories import AgentFactory

    client.force_login(AgentFactory().user)

    response = client.get(reverse("synthesis:mine"))

    assert response.status_code == 200
    assert "dès que vous êtes inscrit" in response.content.decode()
    assert not Synthesis.objects.exists()


def test_the_agent_saves_sections_and_an_action_plan(client):
    synthesis = SynthesisFactory()
    client.force_login(synthesis.enrolment.agent.user)

    response = client.post(reverse("synthesis:edit", args=[synthesis.pk]), form_data(0))

    assert response.status_code == 302
    synthesis.refresh_from_db()
    version = synthesis.current()
    assert version.content["sections"] == {"needs": "Devenir chef de projet."}
    assert version.content["actions"] == [
        {
            "title": "Suivre une formation",
            "duration": "3 mois",
            "due_on": "2027-06-30",
            "steps": ["S’inscrire", "Suivre la formation"],
        }
    ]
    assert version.content["schemes"] == ["Bilan de compétences"]
    assert version.personal_situation == "Aidant familial."
    assert version.author == synthesis.enrolment.agent.user


def test_the_leader_edits_too_and_the_history_says_who(client):
    synthesis = SynthesisFactory(written=True)
    leader = leader_of(synthesis)
    client.force_login(leader)

    client.post(reverse("synthesis:edit", args=[synthesis.pk]), form_data(1, needs="Reformulé"))

    synthesis.refresh_from_db()
    assert synthesis.current().author == leader
    page = client.get(reverse("synthesis:versions", args=[synthesis.pk])).content.decode()
    assert leader.get_full_name() in page
    assert synthesis.enrolment.agent.user.get_full_name() in page


def test_a_conflicting_save_is_refused_and_keeps_the_user_s_text(client):
    synthesis = SynthesisFactory(written=True)
    synthesis.save_version(
        by=leader_of(synthesis),
        based_on=1,
        content={"sections": {"needs": "Par le CMC"}},
        personal_situation="",
    )
    client.force_login(synthesis.enrolment.agent.user)

    response = client.post(
        reverse("synthesis:edit", args=[synthesis.pk]),
        form_data(1, needs="Mon texte, tapé pendant une heure"),
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "Modification concurrente" in page and "Mon texte, tapé pendant une heure" in page
    assert synthesis.current().content["sections"]["needs"] == "Par le CMC"
    # Saving again, after comparing, is based on the latest version and goes through.
    assert response.context["form"]["based_on"].value() == 2
    client.post(reverse("synthesis:edit", args=[synthesis.pk]), form_data(2, needs="Fusionné"))
    synthesis.refresh_from_db()
    assert synthesis.current().content["sections"]["needs"] == "Fusionné"


def test_an_action_without_a_title_is_explained_and_nothing_is_saved(client):
    synthesis = SynthesisFactory()
    client.force_login(synthesis.enrolment.agent.user)

    response = client.post(
        reverse("synthesis:edit", args=[synthesis.pk]), form_data(0, **{"actions-0-title": ""})
    )

    assert response.status_code == 200
    assert "Donnez un intitulé à cette action" in response.content.decode()
    assert synthesis.versions.count() == 0


def test_a_scheme_not_offered_is_refused(client):
    synthesis = SynthesisFactory()
    client.force_login(synthesis.enrolment.agent.user)

    response = client.post(
        reverse("synthesis:edit", args=[synthesis.pk]), form_data(0, schemes=["Inventé"])
    )

    assert response.status_code == 200
    assert synthesis.versions.count() == 0


def test_hostile_text_is_stored_as_is_and_shown_escaped(client):
    synthesis = SynthesisFactory()
    client.force_login(synthesis.enrolment.agent.user)
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'

    client.post(reverse("synthesis:edit", args=[synthesis.pk]), form_data(0, needs=hostile))
    page = client.get(reverse("synthesis:detail", args=[synthesis.pk])).content.decode()

    synthesis.refresh_from_db()
    assert synthesis.current().content["sections"]["needs"] == hostile
    assert hostile not in page and "&lt;script&gt;" in page


def test_the_edit_page_warns_before_leaving_with_unsaved_changes(client):
    synthesis = SynthesisFactory()
    client.force_login(synthesis.enrolment.agent.user)

    page = client.get(reverse("synthesis:edit", args=[synthesis.pk])).content.decode()

    assert "data-warn-unsaved" in page and "unsaved-changes.js" in page


def test_a_finalised_synthesis_is_not_editable(client):
    synthesis = SynthesisFactory(finalised=True)
    client.force_login(synthesis.enrolment.agent.user)

    response = client.post(reverse("synthesis:edit", args=[synthesis.pk]), form_data(1))

    assert response.status_code == 302
    assert synthesis.versions.count() == 1


def test_the_leader_comments_a_section(client):
    synthesis = SynthesisFactory(written=True)
    leader = leader_of(synthesis)
    client.force_login(leader)

    client.post(
        reverse("synthesis:comment", args=[synthesis.pk]),
        {"section": "needs", "text": "Précisez le type de poste."},
    )
    page = client.get(reverse("synthesis:detail", args=[synthesis.pk])).content.decode()

    assert Comment.objects.get().author == leader
    assert "Précisez le type de poste." in page


def test_a_comment_on_an_unknown_section_is_refused(client):
    synthesis = SynthesisFactory(written=True)
    client.force_login(leader_of(synthesis))

    client.post(
        reverse("synthesis:comment", args=[synthesis.pk]), {"section": "x", "text": "Bonjour"}
    )

    assert not Comment.objects.exists()


def test_finalise_then_both_sign_and_it_is_locked(client):
    synthesis = SynthesisFactory(written=True)
    in_phase_4(synthesis.enrolment.cohort)
    agent, leader = synthesis.enrolment.agent.user, leader_of(synthesis)
    client.force_login(agent)

    client.post(reverse("synthesis:finalise", args=[synthesis.pk]))
    client.post(reverse("synthesis:sign", args=[synthesis.pk]), {"confirm": "on"})
    client.force_login(leader)
    refused = client.post(reverse("synthesis:sign", args=[synthesis.pk]), {})
    client.post(reverse("synthesis:sign", args=[synthesis.pk]), {"confirm": "on"})

    assert refused.status_code == 200 and "Cochez la case" in refused.content.decode()
    synthesis.refresh_from_db()
    assert synthesis.status == Status.SIGNED
    page = client.get(reverse("synthesis:detail", args=[synthesis.pk])).content.decode()
    assert synthesis.current().digest() in page
    assert client.get(reverse("synthesis:edit", args=[synthesis.pk])).status_code == 302


def test_the_leader_cannot_finalise_for_the_agent(client):
    synthesis = SynthesisFactory(written=True)
    client.force_login(leader_of(synthesis))

    response = client.post(reverse("synthesis:finalise", args=[synthesis.pk]))

    assert response.status_code == 404
    synthesis.refresh_from_db()
    assert synthesis.status == Status.DRAFT


def test_destruction_needs_the_confirmation_then_leaves_only_a_record(client):
    synthesis = SynthesisFactory(signed=True)
    client.force_login(synthesis.enrolment.agent.user)
    url = reverse("synthesis:destroy", args=[synthesis.pk])

    page = client.get(url).content.decode()
    unconfirmed = client.post(url, {})
    synthesis.refresh_from_db()
    assert "irréversible" in page and unconfirmed.status_code == 200
    assert synthesis.status == Status.SIGNED

    client.post(url, {"confirm": "on"})

    synthesis.refresh_from_db()
    assert synthesis.status == Status.DESTROYED
    record = client.get(reverse("synthesis:detail", args=[synthesis.pk])).content.decode()
    assert "détruit le" in record
    assert client.get(reverse("synthesis:pdf", args=[synthesis.pk])).status_code == 404
    leader = leader_of(synthesis)
    client.force_login(leader)
    assert client.get(reverse("synthesis:detail", args=[synthesis.pk])).status_code == 404


def test_the_leaders_are_asked_to_sign_and_both_told_when_it_is_locked(client, django_tasks):
    synthesis = SynthesisFactory(written=True)
    in_phase_4(synthesis.enrolment.cohort)
    agent, leader = synthesis.enrolment.agent.user, leader_of(synthesis)
    client.force_login(agent)

    client.post(reverse("synthesis:finalise", args=[synthesis.pk]))
    to_sign = django_tasks.emails()
    django_tasks.clear()
    client.post(reverse("synthesis:sign", args=[synthesis.pk]), {"confirm": "on"})
    django_tasks.clear()
    client.force_login(leader)
    client.post(reverse("synthesis:sign", args=[synthesis.pk]), {"confirm": "on"})
    signed = django_tasks.emails()

    assert [mail["to"] for mail in to_sign] == [[leader.email]]
    assert "à signer" in to_sign[0]["subject"]
    assert sorted(mail["to"][0] for mail in signed) == sorted([agent.email, leader.email])
    # Never a word of the document in an e-mail.
    for mail in to_sign + signed:
        assert "Devenir" not in mail["text"] and "Situation" not in mail["text"]

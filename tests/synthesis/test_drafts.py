"""Drafts: each writer's work in progress, kept without a version, never over newer work."""

import pytest
from django.db import connection

from synthesis.models import (
    ConflictError,
    DraftConflictError,
    SynthesisDraft,
    SynthesisError,
)
from tests.synthesis.factories import SAMPLE_CONTENT, SynthesisFactory, leader_of

pytestmark = pytest.mark.django_db

SECRET = "BROUILLON-SECRET-5d1e"


def draft_of(synthesis, by, *, based_on=None, revision=0, text="Un brouillon", personal=""):
    return synthesis.save_draft(
        by=by,
        based_on=synthesis.version if based_on is None else based_on,
        revision=revision,
        content={"sections": {"needs": text}, "actions": [], "schemes": [], "schemes_other": ""},
        personal_situation=personal,
    )


def test_a_draft_is_kept_without_a_version():
    synthesis = SynthesisFactory(written=True)
    agent = synthesis.enrolment.agent.user

    draft = draft_of(synthesis, agent)

    synthesis.refresh_from_db()
    assert synthesis.version == 1 and synthesis.versions.count() == 1
    assert (draft.revision, draft.based_on) == (1, 1)
    assert SynthesisDraft.objects.get().content["sections"] == {"needs": "Un brouillon"}


def test_saving_the_draft_again_counts_its_revisions_in_one_row():
    synthesis = SynthesisFactory(written=True)
    agent = synthesis.enrolment.agent.user
    draft_of(synthesis, agent)

    again = draft_of(synthesis, agent, revision=1, text="Plus loin")

    assert again.revision == 2
    assert SynthesisDraft.objects.get().content["sections"] == {"needs": "Plus loin"}


def test_a_draft_based_on_an_older_version_is_refused_and_overwrites_nothing():
    synthesis = SynthesisFactory(written=True)
    agent, leader = synthesis.enrolment.agent.user, leader_of(synthesis)
    draft_of(synthesis, agent)
    synthesis.save_version(
        by=leader, based_on=1, content={"sections": {"needs": "Par le CMC"}}, personal_situation=""
    )

    with pytest.raises(ConflictError) as refused:
        draft_of(synthesis, agent, based_on=1, revision=1, text="Écrit sur la version 1")

    assert refused.value.latest.author == leader
    assert synthesis.current().content["sections"] == {"needs": "Par le CMC"}
    assert SynthesisDraft.objects.get().content["sections"] == {"needs": "Un brouillon"}


def test_a_tab_that_missed_the_last_draft_save_cannot_overwrite_it():
    synthesis = SynthesisFactory(written=True)
    agent = synthesis.enrolment.agent.user
    draft_of(synthesis, agent, text="Premier onglet")
    draft_of(synthesis, agent, revision=1, text="Premier onglet, suite")

    with pytest.raises(DraftConflictError, match="autre fenêtre"):
        draft_of(synthesis, agent, revision=1, text="Second onglet")
    with pytest.raises(DraftConflictError):
        draft_of(synthesis, agent, revision=0, text="Troisième onglet")

    draft = SynthesisDraft.objects.get()
    assert draft.revision == 2 and draft.content["sections"] == {"needs": "Premier onglet, suite"}


def test_each_writer_has_their_own_draft():
    synthesis = SynthesisFactory(written=True)
    agent, leader = synthesis.enrolment.agent.user, leader_of(synthesis)

    draft_of(synthesis, agent, text="Agent")
    draft_of(synthesis, leader, text="CMC")

    assert {d.author: d.content["sections"]["needs"] for d in synthesis.drafts.all()} == {
        agent: "Agent",
        leader: "CMC",
    }


def test_saving_a_version_ends_the_author_s_draft_only():
    synthesis = SynthesisFactory(written=True)
    agent, leader = synthesis.enrolment.agent.user, leader_of(synthesis)
    draft_of(synthesis, agent)
    draft_of(synthesis, leader)

    synthesis.save_version(by=agent, based_on=1, content=SAMPLE_CONTENT, personal_situation="")

    assert list(synthesis.drafts.values_list("author", flat=True)) == [leader.pk]


def test_a_finalised_synthesis_takes_no_draft():
    synthesis = SynthesisFactory(finalised=True)

    with pytest.raises(SynthesisError, match="finalisée"):
        draft_of(synthesis, synthesis.enrolment.agent.user)

    assert not SynthesisDraft.objects.exists()


def test_a_draft_from_an_unknown_version_is_refused_in_french():
    synthesis = SynthesisFactory()

    with pytest.raises(SynthesisError, match="rechargez"):
        draft_of(synthesis, synthesis.enrolment.agent.user, based_on=7)


def test_a_draft_is_encrypted_and_destroyed_with_the_synthesis():
    synthesis = SynthesisFactory(written=True)
    draft_of(synthesis, synthesis.enrolment.agent.user, text=SECRET, personal=SECRET)
    with connection.cursor() as cursor:
        cursor.execute("SELECT content, personal_situation FROM synthesis_synthesisdraft")
        stored = cursor.fetchone()
    assert SECRET not in stored[0] and SECRET not in stored[1]

    synthesis.destroy()

    assert not SynthesisDraft.objects.exists()

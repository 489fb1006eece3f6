"""The rules of the synthesis: versions, conflicts, finalisation, co-signature, destruction."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from synthesis.models import (
    AccessRecord,
    Basis,
    Capacity,
    Comment,
    ConflictError,
    Consent,
    Signature,
    Status,
    Synthesis,
    SynthesisError,
    SynthesisVersion,
    grant,
    revoke,
)
from synthesis.models.synthesis import BADGES
from tests.people.factories import UserFactory
from tests.synthesis.factories import SAMPLE_CONTENT, SynthesisFactory, in_phase_4, leader_of

pytestmark = pytest.mark.django_db


def edited(text: str) -> dict:
    return {**SAMPLE_CONTENT, "sections": {**SAMPLE_CONTENT["sections"], "needs": text}}


def test_every_save_appends_a_version_with_its_author():
    synthesis = SynthesisFactory(written=True)
    leader = leader_of(synthesis)

    second = synthesis.save_version(
        by=leader, based_on=1, content=edited("Reformulé par le CMC"), personal_situation=""
    )

    assert second.number == 2 and second.author == leader
    assert synthesis.versions.get(number=1).content["sections"]["needs"].startswith("Évoluer")
    assert synthesis.current().content["sections"]["needs"] == "Reformulé par le CMC"


def test_a_save_based_on_an_older_version_is_refused_and_changes_nothing():
    synthesis = SynthesisFactory(written=True)
    synthesis.save_version(
        by=leader_of(synthesis), based_on=1, content=edited("Par le CMC"), personal_situation=""
    )

    with pytest.raises(ConflictError) as refused:
        synthesis.save_version(
            by=synthesis.enrolment.agent.user,
            based_on=1,
            content=edited("Par l’agent, sur une page ouverte avant"),
            personal_situation="",
        )

    assert refused.value.latest.number == 2
    assert "n’ont pas été enregistrées" in str(refused.value)
    assert synthesis.versions.count() == 2
    assert synthesis.current().content["sections"]["needs"] == "Par le CMC"


def test_saving_the_same_content_creates_no_version():
    synthesis = SynthesisFactory(written=True)
    current = synthesis.current()

    again = synthesis.save_version(
        by=synthesis.enrolment.agent.user,
        based_on=1,
        content={k: v for k, v in current.content.items() if k != "header"},
        personal_situation=current.personal_situation,
    )

    assert again is None
    assert synthesis.versions.count() == 1


def test_the_header_comes_from_the_profile_and_the_cohort():
    synthesis = SynthesisFactory(written=True)
    header = synthesis.current().content["header"]
    agent, cohort = synthesis.enrolment.agent, synthesis.enrolment.cohort

    assert header["agent"] == agent.user.get_full_name()
    assert header["function"] == agent.function_title
    assert header["post_start_date"] == agent.post_start_date.isoformat()
    assert header["launch_date"] == cohort.phases.get(number=1).starts_on.isoformat()
    assert set(header["phases"]) == {"1", "2", "3", "4"}


def test_an_empty_synthesis_cannot_be_finalised():
    synthesis = SynthesisFactory()
    in_phase_4(synthesis.enrolment.cohort)

    with pytest.raises(SynthesisError, match="vide"):
        synthesis.finalise()


def test_a_finalised_synthesis_cannot_be_edited():
    synthesis = SynthesisFactory(finalised=True)

    with pytest.raises(SynthesisError, match="finalisée"):
        synthesis.save_version(
            by=synthesis.enrolment.agent.user,
            based_on=1,
            content=edited("x"),
            personal_situation="",
        )


def test_a_draft_cannot_be_signed():
    synthesis = SynthesisFactory(written=True)

    with pytest.raises(SynthesisError, match="finalisée"):
        synthesis.sign(by=synthesis.enrolment.agent.user, capacity=Capacity.AGENT)


def test_one_signature_leaves_it_finalised_the_second_locks_it():
    synthesis = SynthesisFactory(finalised=True)
    agent = synthesis.enrolment.agent.user

    first = synthesis.sign(by=agent, capacity=Capacity.AGENT)
    assert synthesis.status == Status.FINALISED
    synthesis.sign(by=leader_of(synthesis), capacity=Capacity.LEADER)

    synthesis.refresh_from_db()
    assert synthesis.status == Status.SIGNED and synthesis.signed_at is not None
    assert first.digest == synthesis.current().digest() and len(first.digest) == 64
    with pytest.raises(SynthesisError):
        synthesis.save_version(by=agent, based_on=1, content=edited("x"), personal_situation="")


def test_nobody_signs_twice_in_the_same_capacity():
    synthesis = SynthesisFactory(finalised=True)
    synthesis.sign(by=synthesis.enrolment.agent.user, capacity=Capacity.AGENT)

    with pytest.raises(SynthesisError, match="déjà signée"):
        synthesis.sign(by=synthesis.enrolment.agent.user, capacity=Capacity.AGENT)
    assert Signature.objects.count() == 1


def test_the_digest_covers_every_word_including_the_personal_situation():
    synthesis = SynthesisFactory(signed=True)
    version = synthesis.current()
    signature = version.signatures.first()
    assert signature.is_intact

    # Tampering in the database (outside the application) is detected.
    version.personal_situation = "Autre chose"
    version.save(update_fields=["personal_situation"])
    version.refresh_from_db()
    signature.refresh_from_db()

    assert not signature.is_intact


def test_an_amendment_keeps_the_signed_version_and_needs_new_signatures():
    synthesis = SynthesisFactory(signed=True)
    agent = synthesis.enrolment.agent.user
    signed_digest = synthesis.current().digest()

    synthesis.reopen()
    synthesis.save_version(
        by=agent, based_on=1, content=edited("Avenant"), personal_situation="Mise à jour"
    )
    synthesis.finalise()

    assert synthesis.status == Status.FINALISED and synthesis.version == 2
    old = synthesis.versions.get(number=1)
    assert old.signatures.count() == 2 and old.digest() == signed_digest
    assert synthesis.current().signatures.count() == 0


def test_reopening_a_draft_is_refused():
    with pytest.raises(SynthesisError, match="déjà en rédaction"):
        SynthesisFactory(written=True).reopen()


def test_destruction_erases_everything_but_the_record():
    synthesis = SynthesisFactory(signed=True)
    leader = leader_of(synthesis)
    Comment.objects.create(synthesis=synthesis, section="needs", author=leader, text="Bien")
    consent = Consent.objects.create(
        synthesis=synthesis, audience="manager", recipient=leader, granted_at=timezone.now()
    )
    AccessRecord.objects.create(
        synthesis=synthesis, reader=leader, basis=Basis.MANAGER, consent=consent, format="page"
    )
    today = timezone.now()

    synthesis.destroy(now=today)

    synthesis.refresh_from_db()
    assert synthesis.status == Status.DESTROYED and synthesis.destroyed_at == today
    assert synthesis.version == 0
    for model in (SynthesisVersion, Signature, Comment, Consent, AccessRecord):
        assert not model.objects.exists(), model
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM synthesis_synthesisversion")
        assert cursor.fetchone()[0] == 0
    with pytest.raises(SynthesisError):
        synthesis.destroy()


def test_a_destroyed_synthesis_cannot_be_written_again():
    synthesis = SynthesisFactory(written=True)
    synthesis.destroy()

    with pytest.raises(SynthesisError, match="détruite"):
        synthesis.save_version(
            by=synthesis.enrolment.agent.user,
            based_on=0,
            content=edited("x"),
            personal_situation="",
        )


def test_one_synthesis_per_review():
    synthesis = SynthesisFactory()

    with pytest.raises(Exception):  # noqa: B017 - the database's unique constraint
        Synthesis.objects.create(enrolment=synthesis.enrolment)


def test_consent_is_granted_once_and_revoked_at_once():
    synthesis = SynthesisFactory(signed=True)
    agent = synthesis.enrolment.agent
    agent.manager = UserFactory()
    agent.save()
    monday = timezone.now()

    assert grant(synthesis, "manager", now=monday)
    assert not grant(synthesis, "manager", now=monday)
    assert revoke(synthesis, "manager", now=monday + datetime.timedelta(hours=1))
    assert not revoke(synthesis, "manager")
    assert grant(synthesis, "manager")

    assert Consent.objects.filter(synthesis=synthesis).count() == 2
    assert Consent.objects.live().filter(synthesis=synthesis).count() == 1


def test_every_status_has_a_dsfr_badge():
    assert set(BADGES) == set(Status)
    assert set(BADGES.values()) <= {"success", "error", "warning", "info", "new", ""}

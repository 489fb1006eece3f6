"""Two people saving or signing the same synthesis at the same moment, in real parallel
transactions (PostgreSQL only: SQLite has no row locks nor parallel write transactions)."""

import time

import pytest

from synthesis.models import (
    Capacity,
    ConflictError,
    DraftConflictError,
    SignedPdf,
    Synthesis,
    SynthesisDraft,
    SynthesisError,
    SynthesisVersion,
)
from tests.concurrency import POSTGRESQL_ONLY, in_parallel
from tests.synthesis.factories import SynthesisFactory, leader_of

pytestmark = POSTGRESQL_ONLY


@pytest.fixture
def slow_versions(monkeypatch):
    """Widen the race window: hold each transaction open a moment before it writes."""
    create = SynthesisVersion.objects.create

    def slow_create(**kwargs):
        time.sleep(0.3)
        return create(**kwargs)

    monkeypatch.setattr(SynthesisVersion.objects, "create", slow_create)


def test_two_saves_from_the_same_version_one_wins_the_other_is_refused(slow_versions):
    synthesis = SynthesisFactory(written=True)
    agent, leader = synthesis.enrolment.agent.user, leader_of(synthesis)

    def save(by, text):
        return lambda: synthesis.save_version(
            by=by, based_on=1, content={"sections": {"needs": text}}, personal_situation=""
        )

    outcomes = in_parallel(save(agent, "agent"), save(leader, "animateur"))

    assert sum(isinstance(o, SynthesisVersion) for o in outcomes) == 1
    assert sum(isinstance(o, ConflictError) for o in outcomes) == 1
    assert SynthesisVersion.objects.filter(synthesis=synthesis).count() == 2


def test_a_signature_and_a_reopening_at_once_never_leave_it_signed_and_reopened():
    synthesis = SynthesisFactory(finalised=True)
    synthesis.sign(by=synthesis.enrolment.agent.user, capacity=Capacity.AGENT)
    leader = leader_of(synthesis)

    signed, reopened = in_parallel(
        lambda: synthesis.sign(by=leader, capacity=Capacity.LEADER), synthesis.reopen
    )

    # Whatever the order, the reopening wins last: a draft, no signing date left over.
    synthesis.refresh_from_db()
    assert reopened is None
    assert synthesis.status == "brouillon" and synthesis.signed_at is None
    leader_signed = synthesis.current().signatures.filter(capacity=Capacity.LEADER).exists()
    assert leader_signed == (not isinstance(signed, SynthesisError))


def test_two_tabs_saving_the_same_draft_revision_at_once_one_wins():
    synthesis = SynthesisFactory(written=True)
    agent = synthesis.enrolment.agent.user

    def draft(text, revision):
        return lambda: synthesis.save_draft(
            by=agent,
            based_on=1,
            revision=revision,
            content={"sections": {"needs": text}},
            personal_situation="",
        )

    draft("départ", 0)()
    outcomes = in_parallel(draft("onglet A", 1), draft("onglet B", 1))

    winners = [o for o in outcomes if isinstance(o, SynthesisDraft)]
    assert len(winners) == 1
    assert sum(isinstance(o, DraftConflictError) for o in outcomes) == 1
    stored = SynthesisDraft.objects.get()
    assert stored.revision == 2
    assert stored.content == winners[0].content


def test_a_draft_and_a_version_at_once_never_leave_a_draft_on_an_older_version():
    synthesis = SynthesisFactory(written=True)
    agent, leader = synthesis.enrolment.agent.user, leader_of(synthesis)

    drafted, saved = in_parallel(
        lambda: synthesis.save_draft(
            by=agent, based_on=1, revision=0, content={"sections": {}}, personal_situation=""
        ),
        lambda: synthesis.save_version(
            by=leader, based_on=1, content={"sections": {"needs": "CMC"}}, personal_situation=""
        ),
    )

    # The row lock orders them: the draft is refused, or it was saved before version 2.
    assert isinstance(saved, SynthesisVersion)
    if isinstance(drafted, SynthesisDraft):
        assert drafted.saved_at <= saved.created_at
    else:
        assert isinstance(drafted, ConflictError)
        assert not SynthesisDraft.objects.exists()


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    from bpp import printing

    calls = []
    render = printing.render_pdf
    monkeypatch.setattr(
        printing,
        "render_pdf",
        lambda name, *args, **kw: calls.append(name) or render(name, *args, **kw),
    )
    return calls


def first_downloads_at_once(synthesis) -> list:
    from synthesis.pdf import signed_pdf

    def download():
        return signed_pdf(Synthesis.objects.get(pk=synthesis.pk), with_personal_situation=True)

    return in_parallel(download, download)


def test_two_first_downloads_of_a_signed_synthesis_at_once_render_it_once(renders):
    synthesis = SynthesisFactory(signed=True)

    first, second = first_downloads_at_once(synthesis)

    assert first == second and first.startswith(b"%PDF")
    assert len(renders) == 1 and SignedPdf.objects.count() == 1


def test_control_without_the_row_lock_both_render(renders, monkeypatch):
    synthesis = SynthesisFactory(signed=True)
    monkeypatch.setattr(Synthesis.objects, "select_for_update", Synthesis.objects.all)

    first_downloads_at_once(synthesis)

    assert len(renders) == 2 and SignedPdf.objects.count() == 1  # the constraint holds

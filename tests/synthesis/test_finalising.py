"""The agent finalises the synthesis in phase 4 (conclusion) only, never before."""

import pytest
from django.utils import timezone

from cohorts.models import Cohort, Phase
from synthesis.models import Status, SynthesisError
from tests.synthesis.factories import SynthesisFactory

pytestmark = pytest.mark.django_db


def in_phase(synthesis, phase, **fields):
    Cohort.objects.filter(pk=synthesis.enrolment.cohort_id).update(current_phase=phase, **fields)
    synthesis.enrolment.cohort.refresh_from_db()
    return synthesis


@pytest.mark.parametrize(
    ("phase", "said"),
    [
        (None, "la promotion n’a pas encore démarré"),
        (Phase.LAUNCH, "la promotion est en phase 1 (lancement)"),
        (Phase.ANALYSIS, "la promotion est en phase 2 (appui à l’analyse"),
        (Phase.ACTION_PLAN, "la promotion est en phase 3 (appui à la réalisation"),
    ],
)
def test_before_phase_4_finalising_is_refused_and_says_why(phase, said):
    synthesis = in_phase(SynthesisFactory(written=True), phase)

    with pytest.raises(SynthesisError) as refused:
        synthesis.finalise()

    assert "se finalise en phase 4 (conclusion)" in str(refused.value)
    assert said in str(refused.value)
    synthesis.refresh_from_db()
    assert synthesis.status == Status.DRAFT and synthesis.finalised_at is None


def test_in_phase_4_the_agent_finalises():
    synthesis = in_phase(SynthesisFactory(written=True), Phase.CONCLUSION)

    assert synthesis.finalising_refusal() is None
    synthesis.finalise()

    assert synthesis.status == Status.FINALISED


def test_after_the_cohort_concluded_the_agent_still_finalises():
    synthesis = in_phase(
        SynthesisFactory(written=True), Phase.CONCLUSION, concluded_at=timezone.now()
    )

    synthesis.finalise()

    assert synthesis.status == Status.FINALISED


def test_the_rule_reads_the_cohort_as_it_is_not_as_it_was_loaded():
    synthesis = in_phase(SynthesisFactory(written=True), Phase.ANALYSIS)
    synthesis.enrolment.cohort.current_phase = Phase.CONCLUSION  # an old copy says phase 4

    with pytest.raises(SynthesisError, match="phase 2"):
        synthesis.finalise()

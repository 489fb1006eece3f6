"""The cohort's history: every start, phase change, conclusion, override and leader change."""

import datetime

import pytest
from django.utils import timezone

from bpp.people.models import Role
from cohorts.models import CohortError, CohortEvent, CohortTransition, Phase
from cohorts.services import advance_cohort, set_leaders
from tests.cohorts.factories import CohortFactory
from tests.people.factories import RoleFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 1, 11, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def cmc():
    return RoleFactory(role=Role.CMC).user


def entries(cohort):
    return list(
        cohort.transitions.values_list("kind", "from_phase", "to_phase", "leader", "by", "at")
    )


def test_starting_records_who_opened_phase_1(cmc):
    cohort = CohortFactory(seats_taken=8)

    cohort.start(by=cmc, now=NOW)

    assert entries(cohort) == [(CohortEvent.STARTED, None, Phase.LAUNCH, None, cmc.pk, NOW)]


def test_a_refused_start_records_nothing(cmc):
    cohort = CohortFactory(seats_taken=4)

    with pytest.raises(CohortError):
        cohort.start(by=cmc, now=NOW)

    assert not CohortTransition.objects.exists()


def test_closing_a_phase_records_from_which_to_which(cmc):
    cohort = CohortFactory(seats_taken=8, current_phase=Phase.ANALYSIS)

    advance_cohort(cohort=cohort, by=cmc, now=NOW)

    assert entries(cohort) == [
        (CohortEvent.PHASE_CLOSED, Phase.ANALYSIS, Phase.ACTION_PLAN, None, cmc.pk, NOW)
    ]


def test_closing_phase_4_records_the_conclusion(cmc):
    cohort = CohortFactory(seats_taken=8, current_phase=Phase.CONCLUSION)

    advance_cohort(cohort=cohort, by=cmc, now=NOW)

    assert entries(cohort) == [(CohortEvent.CONCLUDED, Phase.CONCLUSION, None, None, cmc.pk, NOW)]


def test_the_hr_admin_override_is_recorded_with_its_reason():
    cohort = CohortFactory(seats_taken=4)
    admin = RoleFactory(role=Role.HR_ADMIN, organisation=cohort.organisation).user

    cohort.allow_small_start(by=admin, reason="  Site isolé : 4 volontaires.  ", now=NOW)

    transition = cohort.transitions.get()
    assert (transition.kind, transition.by, transition.at) == (
        CohortEvent.SMALL_START_ALLOWED,
        admin,
        NOW,
    )
    assert transition.reason == "Site isolé : 4 volontaires."


def test_a_leader_change_records_who_joined_and_who_left_and_by_whom(cmc):
    cohort = CohortFactory(organisation=cmc.role_assignments.get().organisation)
    staying, leaving = (
        RoleFactory(role=Role.CMC, organisation=cohort.organisation).user for _ in range(2)
    )
    cohort.leaders.set([staying, leaving])

    set_leaders(cohort=cohort, leaders=[staying, cmc], by=cmc, now=NOW)

    assert set(cohort.leaders.all()) == {staying, cmc}
    assert entries(cohort) == [
        (CohortEvent.LEADER_ADDED, None, None, cmc.pk, cmc.pk, NOW),
        (CohortEvent.LEADER_REMOVED, None, None, leaving.pk, cmc.pk, NOW),
    ]


def test_saving_the_same_leaders_records_nothing(cmc):
    cohort = CohortFactory()
    cohort.leaders.set([cmc])

    set_leaders(cohort=cohort, leaders=[cmc], by=cmc, now=timezone.now())

    assert not cohort.transitions.exists()


def test_the_history_reads_as_sentences(cmc):
    cohort = CohortFactory(seats_taken=8, organisation=cmc.role_assignments.get().organisation)
    cohort.start(by=cmc, now=NOW)
    cohort.advance_phase(by=cmc, now=NOW)
    set_leaders(cohort=cohort, leaders=[cmc], by=cmc, now=NOW)

    labels = [t.label for t in cohort.transitions.select_related("leader")]

    assert labels == [
        "Démarrage : phase 1, Lancement",
        "Phase 1 close ; phase 2, Appui à l’analyse du parcours professionnel",
        f"Animateur ajouté : {cmc.get_full_name()}",
    ]

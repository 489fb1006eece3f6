"""The synthesis's history: who finalised, signed, reopened, transmitted, destroyed it."""

import datetime

import pytest

from bpp.people.models import Role
from synthesis.models import (
    Capacity,
    Status,
    SynthesisError,
    SynthesisEvent,
    SynthesisTransition,
)
from tests.cohorts.factories import CohortFactory, EnrolmentFactory
from tests.people.factories import ProviderFactory, RoleFactory
from tests.synthesis.factories import SynthesisFactory, in_phase_4, leader_of

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 4, 2, 14, 0, tzinfo=datetime.UTC)


def entries(synthesis):
    return list(synthesis.transitions.values_list("event", "from_status", "to_status", "by", "at"))


def test_finalising_records_the_agent():
    synthesis = SynthesisFactory(written=True)
    in_phase_4(synthesis.enrolment.cohort)

    synthesis.finalise(now=NOW)

    agent = synthesis.enrolment.agent.user
    assert entries(synthesis) == [
        (SynthesisEvent.FINALISED, Status.DRAFT, Status.FINALISED, agent.pk, NOW)
    ]


def test_each_signature_is_one_entry_and_the_second_locks_it():
    synthesis = SynthesisFactory(finalised=True)
    agent, leader = synthesis.enrolment.agent.user, leader_of(synthesis)
    SynthesisTransition.objects.all().delete()

    synthesis.sign(by=agent, capacity=Capacity.AGENT, now=NOW)
    synthesis.sign(by=leader, capacity=Capacity.LEADER, now=NOW)

    assert entries(synthesis) == [
        (SynthesisEvent.SIGNED_BY_AGENT, Status.FINALISED, Status.FINALISED, agent.pk, NOW),
        (SynthesisEvent.SIGNED_BY_LEADER, Status.FINALISED, Status.SIGNED, leader.pk, NOW),
    ]


def test_a_refused_signature_records_nothing():
    synthesis = SynthesisFactory(written=True)

    with pytest.raises(SynthesisError):
        synthesis.sign(by=synthesis.enrolment.agent.user, capacity=Capacity.AGENT)

    assert not SynthesisTransition.objects.exists()


@pytest.mark.parametrize(
    ("traits", "event", "from_status"),
    [
        ({"finalised": True}, SynthesisEvent.REOPENED, Status.FINALISED),
        ({"signed": True}, SynthesisEvent.AMENDED, Status.SIGNED),
    ],
)
def test_reopening_is_recorded_as_a_reopening_or_an_amendment(traits, event, from_status):
    synthesis = SynthesisFactory(**traits)
    SynthesisTransition.objects.all().delete()

    synthesis.reopen(now=NOW)

    agent = synthesis.enrolment.agent.user
    assert entries(synthesis) == [(event, from_status, Status.DRAFT, agent.pk, NOW)]


@pytest.mark.parametrize("to_a_cmc", [True, False])
def test_the_transmission_choice_is_recorded(to_a_cmc):
    cohort = CohortFactory(provider=ProviderFactory(), concluded_at=NOW)
    synthesis = SynthesisFactory(enrolment=EnrolmentFactory(cohort=cohort), written=True)
    cmc = RoleFactory(role=Role.CMC, organisation=cohort.organisation).user

    synthesis.decide_transmission(to=cmc if to_a_cmc else None, now=NOW)

    event = SynthesisEvent.TRANSMITTED if to_a_cmc else SynthesisEvent.NOT_TRANSMITTED
    agent = synthesis.enrolment.agent.user
    assert entries(synthesis) == [(event, Status.DRAFT, Status.DRAFT, agent.pk, NOW)]


def test_destruction_leaves_exactly_its_own_entry():
    synthesis = SynthesisFactory(signed=True)
    synthesis.reopen()
    assert synthesis.transitions.count() == 4

    synthesis.destroy(now=NOW)

    agent = synthesis.enrolment.agent.user
    assert entries(synthesis) == [
        (SynthesisEvent.DESTROYED, Status.DRAFT, Status.DESTROYED, agent.pk, NOW)
    ]
    assert SynthesisTransition.objects.count() == 1

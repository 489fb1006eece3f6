"""The cohort's ZIP loads its syntheses together, by the rules that load each one."""

import pytest
from django.http import Http404

from synthesis.models import Audience, Basis, grant
from synthesis.permissions import load_syntheses, load_synthesis
from tests.cohorts.factories import EnrolmentFactory
from tests.people.factories import UserFactory
from tests.synthesis.factories import SynthesisFactory, leader_of

pytestmark = pytest.mark.django_db


def test_each_synthesis_is_loaded_on_the_ground_loading_it_alone_gives():
    first = SynthesisFactory(signed=True)
    second = SynthesisFactory(
        signed=True, enrolment=EnrolmentFactory(cohort=first.enrolment.cohort)
    )
    leader = leader_of(first)

    loaded = load_syntheses(leader, [second.pk, first.pk])

    assert [a.synthesis for a in loaded] == [second, first]
    assert [a.basis for a in loaded] == [
        load_synthesis(leader, s.pk).basis for s in (second, first)
    ]
    assert {a.basis for a in loaded} == {Basis.LEADER}


def test_the_consents_are_loaded_with_them():
    synthesis = SynthesisFactory(signed=True)
    agent = synthesis.enrolment.agent
    agent.manager = manager = UserFactory()
    agent.save()
    grant(synthesis, Audience.MANAGER)

    [loaded] = load_syntheses(manager, [synthesis.pk])

    assert loaded.basis == Basis.MANAGER and not loaded.may_read_personal_situation
    assert loaded.consents == load_synthesis(manager, synthesis.pk).consents


def test_one_synthesis_the_user_may_not_read_is_a_404_for_all():
    mine = SynthesisFactory(signed=True)
    elsewhere = SynthesisFactory(signed=True)
    leader = leader_of(mine)

    with pytest.raises(Http404):
        load_syntheses(leader, [mine.pk, elsewhere.pk])
    with pytest.raises(Http404):
        load_syntheses(leader, [mine.pk, elsewhere.pk + 1000])

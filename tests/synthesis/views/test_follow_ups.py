"""The agent answers the follow-up of their plan once; the leader reads it only if the
agent shares it; the manager and HR never (HR gets counts on the quality page)."""

import pytest
from django.test import Client
from django.urls import reverse

from bpp.people.models import Role
from synthesis.jobs import send_follow_ups
from synthesis.models import AccessRecord, ActionStatus, Basis, FollowUp, grant
from tests.clock import paris
from tests.cohorts.factories import CohortFactory, EnrolmentFactory
from tests.people.factories import RoleFactory, UserFactory
from tests.synthesis.factories import SynthesisFactory, leader_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def follow_up():
    cohort = CohortFactory(concluded_at=paris(2027, 1, 31, 17))
    SynthesisFactory(enrolment=EnrolmentFactory(cohort=cohort), signed=True)
    send_follow_ups(now=paris(2027, 4, 30, 9))
    return FollowUp.objects.get()


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def answers(**overrides) -> dict:
    return {
        "status_0": "realisee",
        "on_0": "2027-03-15",
        "status_1": "en_cours",
        "on_1": "2027-04-02",
        "training_started": "oui",
        "mobility_achieved": "non",
    } | overrides


def agent_of(follow_up):
    return follow_up.synthesis.enrolment.agent.user


def test_the_agent_answers_each_action_of_their_plan(follow_up):
    client = login(agent_of(follow_up))
    url = reverse("synthesis:follow_up", args=[follow_up.pk])

    page = client.get(url)
    response = client.post(url, answers(), follow=True)

    assert "Se former à la conduite de projet" in page.text
    assert "Merci : vos réponses sont enregistrées." in response.text
    follow_up.refresh_from_db()
    assert [a["status"] for a in follow_up.actions] == [
        ActionStatus.DONE,
        ActionStatus.IN_PROGRESS,
    ]
    assert (follow_up.actions_count, follow_up.actions_done) == (2, 1)
    assert (follow_up.training_started, follow_up.mobility_achieved) == (True, False)
    assert follow_up.shared_with_leader is False


def test_the_agent_s_home_page_says_a_follow_up_awaits(follow_up):
    page = login(agent_of(follow_up)).get(reverse("portals:agent"))

    assert reverse("synthesis:follow_up", args=[follow_up.pk]) in page.text


def test_a_missing_answer_is_refused_in_french_and_nothing_changes(follow_up):
    client = login(agent_of(follow_up))

    response = client.post(
        reverse("synthesis:follow_up", args=[follow_up.pk]), answers(status_1="", on_1="")
    )

    assert "Dites où en est cette action." in response.text
    assert "Indiquez une date." in response.text
    follow_up.refresh_from_db()
    assert not follow_up.is_answered


def test_an_answer_is_given_once(follow_up):
    client = login(agent_of(follow_up))
    url = reverse("synthesis:follow_up", args=[follow_up.pk])
    client.post(url, answers())

    response = client.post(url, answers(training_started="non"), follow=True)

    assert "Vous avez déjà répondu à ce suivi." in response.text
    follow_up.refresh_from_db()
    assert follow_up.training_started is True


def test_a_leader_reads_nothing_unless_the_agent_shares(follow_up):
    leader = leader_of(follow_up.synthesis)
    url = reverse("synthesis:follow_up", args=[follow_up.pk])
    cohort_url = reverse(
        "synthesis:cohort_follow_ups", args=[follow_up.synthesis.enrolment.cohort_id]
    )
    login(agent_of(follow_up)).post(url, answers())

    assert login(leader).get(url).status_code == 404
    assert "Se former" not in login(leader).get(cohort_url).text


def test_a_shared_follow_up_is_read_by_the_leader_and_the_read_recorded(follow_up):
    leader = leader_of(follow_up.synthesis)
    url = reverse("synthesis:follow_up", args=[follow_up.pk])
    cohort_url = reverse(
        "synthesis:cohort_follow_ups", args=[follow_up.synthesis.enrolment.cohort_id]
    )
    login(agent_of(follow_up)).post(url, answers(shared_with_leader="on"))

    page = login(leader).get(url)
    listing = login(leader).get(cohort_url)

    assert "Se former à la conduite de projet" in page.text
    assert "réalisée depuis le 15 mars 2027" in listing.text
    assert AccessRecord.objects.filter(reader=leader, basis=Basis.LEADER).count() == 2


def test_a_leader_cannot_answer_for_the_agent(follow_up):
    response = login(leader_of(follow_up.synthesis)).post(
        reverse("synthesis:follow_up", args=[follow_up.pk]), answers()
    )

    assert response.status_code == 404
    follow_up.refresh_from_db()
    assert not follow_up.is_answered


def test_the_manager_and_hr_read_nothing_even_with_the_synthesis_shared(follow_up):
    synthesis = follow_up.synthesis
    agent = synthesis.enrolment.agent
    agent.manager = UserFactory()
    agent.save()
    hr = RoleFactory(role=Role.HR, organisation=agent.organisation).user
    grant(synthesis, "manager")
    grant(synthesis, "rh")
    login(agent.user).post(
        reverse("synthesis:follow_up", args=[follow_up.pk]), answers(shared_with_leader="on")
    )

    for reader in (agent.manager, hr, UserFactory()):
        assert (
            login(reader).get(reverse("synthesis:follow_up", args=[follow_up.pk])).status_code
            == 404
        )


def test_an_administrator_who_changes_the_leaders_changes_who_reads_a_shared_follow_up(
    follow_up,
):
    """Shared with "the leader": a leader removed no longer reads it, a counsellor of the
    employer who does not lead the cohort never did, however their roles change."""
    leader = leader_of(follow_up.synthesis)
    cohort = follow_up.synthesis.enrolment.cohort
    other_cmc = RoleFactory(role=Role.CMC, organisation=cohort.organisation).user
    RoleFactory(role=Role.HR_ADMIN, user=other_cmc, organisation=cohort.organisation)
    url = reverse("synthesis:follow_up", args=[follow_up.pk])
    login(agent_of(follow_up)).post(url, answers(shared_with_leader="on"))

    assert login(other_cmc).get(url).status_code == 404
    cohort.leaders.remove(leader)
    assert login(leader).get(url).status_code == 404
    cohort.leaders.add(other_cmc)
    assert "Se former à la conduite de projet" in login(other_cmc).get(url).text

import pytest
from django.db import IntegrityError

from bpp.people.models import Role
from bpp.requests.models import Status
from cohorts.models import Cohort, CohortError, Enrolment
from cohorts.services import place_agent, withdraw_agent
from tests.cohorts.factories import CohortFactory
from tests.people.factories import AgentFactory, RoleFactory, UserFactory
from tests.requests.factories import ReviewRequestFactory

pytestmark = pytest.mark.django_db


def approved_request(organisation, **kwargs):
    agent = AgentFactory(service__organisation=organisation, organisation=organisation)
    return ReviewRequestFactory(agent=agent, approved=True, **kwargs)


def test_it_places_an_approved_agent_and_takes_a_seat():
    cohort = CohortFactory()
    review_request = approved_request(cohort.organisation)

    enrolment = place_agent(review_request=review_request, cohort=cohort, by=UserFactory())

    cohort.refresh_from_db()
    assert cohort.seats_taken == 1
    assert enrolment.agent == review_request.agent


def test_a_full_cohort_refuses_the_agent():
    cohort = CohortFactory(seats_taken=12)

    with pytest.raises(CohortError, match="complète"):
        place_agent(
            review_request=approved_request(cohort.organisation), cohort=cohort, by=UserFactory()
        )

    assert not Enrolment.objects.exists()


def test_only_approved_requests_get_a_seat():
    cohort = CohortFactory()
    pending = ReviewRequestFactory(
        agent=AgentFactory(
            service__organisation=cohort.organisation, organisation=cohort.organisation
        )
    )

    with pytest.raises(CohortError, match="acceptée"):
        place_agent(review_request=pending, cohort=cohort, by=UserFactory())


def test_an_agent_cannot_sit_in_two_cohorts():
    first, second = CohortFactory(), None
    second = CohortFactory(organisation=first.organisation)
    review_request = approved_request(first.organisation)
    place_agent(review_request=review_request, cohort=first, by=UserFactory())

    with pytest.raises(CohortError, match="déjà une place"):
        place_agent(review_request=review_request, cohort=second, by=UserFactory())


def test_the_database_forbids_overbooking():
    cohort = CohortFactory(seats_taken=12)

    with pytest.raises(IntegrityError):
        Cohort.objects.filter(pk=cohort.pk).update(seats_taken=13)


def test_the_database_forbids_a_collective_cohort_of_13():
    with pytest.raises(IntegrityError):
        CohortFactory(capacity=13)


def test_withdrawal_frees_the_seat():
    cohort = CohortFactory()
    enrolment = place_agent(
        review_request=approved_request(cohort.organisation), cohort=cohort, by=UserFactory()
    )

    withdraw_agent(enrolment=enrolment, reason="Mutation")

    cohort.refresh_from_db()
    assert cohort.seats_taken == 0
    with pytest.raises(CohortError):
        withdraw_agent(enrolment=enrolment)
    cohort.refresh_from_db()
    assert cohort.seats_taken == 0


def test_a_cohort_of_another_employer_is_refused():
    cohort = CohortFactory()
    other = approved_request(CohortFactory().organisation)

    with pytest.raises(CohortError, match="employeur"):
        place_agent(review_request=other, cohort=cohort, by=UserFactory())
    assert other.status == Status.APPROVED


def test_a_cohort_past_its_launch_phase_takes_no_newcomer():
    cohort = CohortFactory(current_phase=2)

    with pytest.raises(CohortError, match="n’est plus ouverte"):
        place_agent(
            review_request=approved_request(cohort.organisation), cohort=cohort, by=UserFactory()
        )


def test_the_placed_agent_is_convoked_with_the_cohort_calendar(django_tasks):
    cohort = CohortFactory()
    review_request = approved_request(cohort.organisation)

    place_agent(review_request=review_request, cohort=cohort, by=UserFactory())

    [mail] = django_tasks.emails()
    assert mail["to"] == [review_request.agent.user.email]
    assert "Lancement : du 11 janvier 2027" in mail["text"]
    [(filename, content, _)] = mail["attachments"]
    assert filename == "promotion.ics"
    assert content.count("BEGIN:VEVENT") == 4


def test_a_freed_seat_proposes_the_next_waiting_agent_to_the_cmcs(django_tasks):
    cohort = CohortFactory()
    cmc = RoleFactory(role=Role.CMC, organisation=cohort.organisation).user
    enrolment = place_agent(
        review_request=approved_request(cohort.organisation), cohort=cohort, by=cmc
    )
    following = approved_request(cohort.organisation, agent__user__last_name="Suivant")
    django_tasks.clear()

    withdraw_agent(enrolment=enrolment)

    [mail] = [m for m in django_tasks.emails() if m["to"] == [cmc.email]]
    assert str(following.agent) in mail["text"]
    # The agent who left is asked about the accompaniment they had.
    assert any(m["to"] == [enrolment.agent.user.email] for m in django_tasks.emails())


def test_leaving_the_cohort_ends_the_review_and_the_agent_may_ask_again():
    cohort = CohortFactory()
    review_request = approved_request(cohort.organisation)
    enrolment = place_agent(review_request=review_request, cohort=cohort, by=UserFactory())

    withdraw_agent(enrolment=enrolment, reason="Mutation")

    review_request.refresh_from_db()
    assert review_request.status == Status.WITHDRAWN
    assert review_request.transitions.last().reason == "Mutation"


def test_leaving_the_cohort_tells_the_deciders_the_request_is_withdrawn(django_tasks):
    cohort = CohortFactory()
    manager = UserFactory()
    agent = AgentFactory(
        service__organisation=cohort.organisation,
        organisation=cohort.organisation,
        manager=manager,
    )
    enrolment = place_agent(
        review_request=ReviewRequestFactory(agent=agent, approved=True), cohort=cohort, by=manager
    )
    django_tasks.clear()

    withdraw_agent(enrolment=enrolment, reason="Mutation")

    assert any(m["to"] == [manager.email] for m in django_tasks.emails())

"""
50 placements at once into a cohort with 3 free seats end with exactly 3 agents.

The control test runs the same race against a naive placement (read the free
seats, then write), to prove that this test does detect overbooking.
PostgreSQL only: SQLite serialises writes and ignores row locks.
"""

from django.db import transaction

from cohorts.models import Cohort, CohortError, Enrolment
from cohorts.services import place_agent
from tests.cohorts.factories import CohortFactory
from tests.concurrency import POSTGRESQL_ONLY, in_parallel
from tests.people.factories import AgentFactory, UserFactory
from tests.requests.factories import ReviewRequestFactory

pytestmark = POSTGRESQL_ONLY

CONTENDERS = 50


def race(placement) -> tuple[Cohort, list]:
    cohort = CohortFactory(seats_taken=9)  # 3 free seats of 12
    cmc = UserFactory()
    requests = [
        ReviewRequestFactory(
            approved=True,
            agent=AgentFactory(
                service__organisation=cohort.organisation, organisation=cohort.organisation
            ),
        )
        for _ in range(CONTENDERS)
    ]
    outcomes = in_parallel(
        *(
            lambda review_request=review_request: placement(
                review_request=review_request, cohort=cohort, by=cmc
            )
            for review_request in requests
        )
    )
    cohort.refresh_from_db()
    return cohort, outcomes


def test_fifty_simultaneous_placements_fill_exactly_the_three_free_seats():
    cohort, outcomes = race(place_agent)

    placed = Enrolment.objects.filter(cohort=cohort, withdrawn_at__isnull=True).count()
    assert placed == 3
    assert cohort.seats_taken == 12
    refused = [o for o in outcomes if isinstance(o, CohortError)]
    assert len(refused) == CONTENDERS - 3, [o for o in outcomes if isinstance(o, Exception)]


@transaction.atomic
def naive_placement(*, review_request, cohort, by):
    """What a careless implementation does: check in Python, then write."""
    current = Cohort.objects.get(pk=cohort.pk)
    if current.seats_taken >= current.capacity:
        raise CohortError("complète")
    enrolment = Enrolment.objects.create(
        cohort=cohort,
        agent_id=review_request.agent_id,
        request=review_request,
        placed_at=review_request.created_at,
        placed_by=by,
    )
    current.seats_taken += 1
    current.save(update_fields=["seats_taken"])
    return enrolment


def test_control_the_race_overbooks_a_naive_placement():
    cohort, _ = race(naive_placement)

    placed = Enrolment.objects.filter(cohort=cohort, withdrawn_at__isnull=True).count()
    assert placed > 3, "the race did not overbook: the concurrency test proves nothing"

"""
Decisions and jobs that run at the same moment, in real parallel transactions.

SQLite serialises every write and ignores row locks, so these run on PostgreSQL
only (CI and `DATABASE_URL=postgres://...`).
"""

import datetime
import time

import pytest

from bpp.requests.jobs import record_implicit_rejections
from bpp.requests.models import RequestError, RequestTransition, ReviewRequest, Status
from tests.clock import paris
from tests.concurrency import POSTGRESQL_ONLY, in_parallel
from tests.people.factories import AgentFactory, RoleFactory, UserFactory
from tests.requests.factories import ReviewRequestFactory

pytestmark = POSTGRESQL_ONLY


@pytest.fixture
def slow_transitions(monkeypatch):
    """Widen the race window: hold each transaction open a moment after its checks."""
    create = RequestTransition.objects.create

    def slow_create(**kwargs):
        time.sleep(0.3)
        return create(**kwargs)

    monkeypatch.setattr(RequestTransition.objects, "create", slow_create)


def test_of_two_simultaneous_decisions_exactly_one_wins(slow_transitions):
    agent = AgentFactory(manager=UserFactory())
    hr = RoleFactory(role="hr", organisation=agent.organisation).user
    review_request = ReviewRequestFactory(agent=agent)

    outcomes = in_parallel(
        lambda: ReviewRequest.objects.get(pk=review_request.pk).approve(by=agent.manager),
        lambda: ReviewRequest.objects.get(pk=review_request.pk).refuse(by=hr, reason="Non."),
    )

    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], RequestError)
    assert "a changé entre-temps" in str(errors[0])
    review_request.refresh_from_db()
    assert review_request.status in (Status.APPROVED, Status.REFUSED)
    assert review_request.transitions.exclude(to_status=Status.PENDING).count() == 1


def test_two_simultaneous_submissions_make_one_request(slow_transitions):
    agent = AgentFactory(manager=UserFactory())
    answers = {"needs": "Changer de métier."}

    outcomes = in_parallel(
        lambda: ReviewRequest.submit(agent=agent, **answers),
        lambda: ReviewRequest.submit(agent=agent, **answers),
    )

    assert sum(isinstance(o, RequestError) for o in outcomes) == 1, outcomes
    assert ReviewRequest.objects.filter(agent=agent).count() == 1


def test_two_jobs_at_once_record_each_implicit_rejection_once():
    for _ in range(40):
        ReviewRequestFactory(agent=AgentFactory(manager=UserFactory()), overdue=True)

    outcomes = in_parallel(
        lambda: record_implicit_rejections(now=paris(2030, 1, 1), batch_size=5),
        lambda: record_implicit_rejections(now=paris(2030, 1, 1), batch_size=5),
    )

    assert sum(outcomes) == 40, outcomes
    assert RequestTransition.objects.filter(to_status=Status.IMPLICITLY_REJECTED).count() == 40


def test_a_request_being_decided_on_its_last_day_is_not_rejected_by_the_job(slow_transitions):
    agent = AgentFactory(manager=UserFactory())
    review_request = ReviewRequestFactory(agent=agent, received_on=datetime.date(2026, 9, 1))

    def decide():  # at 23:59 on the deadline day, the row locked while the transition is logged
        locked = ReviewRequest.objects.get(pk=review_request.pk)
        return locked.approve(by=agent.manager, now=paris(2026, 11, 1, 23, 59))

    def job():  # a moment later, past midnight
        time.sleep(0.1)
        return record_implicit_rejections(now=paris(2026, 11, 2, 0, 1))

    decided, recorded = in_parallel(decide, job)

    assert recorded == 0, recorded
    assert not isinstance(decided, Exception), decided
    review_request.refresh_from_db()
    assert review_request.status == Status.APPROVED
    assert not review_request.transitions.filter(to_status=Status.IMPLICITLY_REJECTED).exists()

"""Two leaders answering one support request at once, and two schedulers sending the
follow-ups at once, in real parallel transactions (PostgreSQL only)."""

import datetime
import time

import pytest

from bpp.people.models import Role
from cohorts.models import Session
from synthesis import emails
from synthesis.jobs import send_follow_ups
from synthesis.models import FollowUp, SupportRequest, SupportRequestError
from synthesis.services import ask_support, decline_support, schedule_support_interview
from tests.clock import paris
from tests.cohorts.factories import CohortFactory, EnrolmentFactory
from tests.concurrency import POSTGRESQL_ONLY, in_parallel
from tests.people.factories import RoleFactory
from tests.synthesis.factories import SynthesisFactory, in_phase_4, leader_of

pytestmark = POSTGRESQL_ONLY


@pytest.fixture
def asked():
    """A support request, and two leaders of the cohort who may answer it."""
    synthesis = SynthesisFactory(written=True)
    in_phase_4(synthesis.enrolment.cohort)
    first = leader_of(synthesis)
    second = RoleFactory(role=Role.CMC, organisation=synthesis.enrolment.cohort.organisation).user
    synthesis.enrolment.cohort.leaders.add(second)
    return ask_support(synthesis=synthesis, message=""), first, second


def answers(support, first, second):
    def schedule():
        return schedule_support_interview(
            support=SupportRequest.objects.get(pk=support.pk),
            by=first,
            starts_at=datetime.datetime(2027, 3, 30, 8, tzinfo=datetime.UTC),
            duration_minutes=60,
            place="Bureau 4",
            video_link="",
        )

    def decline():
        return decline_support(
            support=SupportRequest.objects.get(pk=support.pk), by=second, message="Non."
        )

    return schedule, decline


def test_two_leaders_answering_at_once_one_wins(asked):
    support, first, second = asked

    outcomes = in_parallel(*answers(support, first, second))

    refused = [o for o in outcomes if isinstance(o, SupportRequestError)]
    assert len(refused) == 1
    support.refresh_from_db()
    scheduled = isinstance(outcomes[0], Session)
    assert support.status == ("programme" if scheduled else "decline")
    assert Session.objects.count() == (1 if scheduled else 0)


def declines(support, *leaders):
    return [
        lambda by=by: decline_support(
            support=SupportRequest.objects.get(pk=support.pk), by=by, message=f"Non, {by.pk}."
        )
        for by in leaders
    ]


def test_two_leaders_declining_at_once_one_wins(asked, django_tasks):
    support, first, second = asked
    django_tasks.clear()

    outcomes = in_parallel(*declines(support, first, second))

    assert sum(isinstance(o, SupportRequestError) for o in outcomes) == 1
    assert len(django_tasks.emails()) == 1  # the agent reads one answer


def test_control_without_the_conditional_update_both_would_answer(asked, django_tasks, monkeypatch):
    """The naive version (an unconditional UPDATE) lets both through, and the agent gets
    two answers: the race above is real, and the tests would see it."""
    support, first, second = asked
    django_tasks.clear()

    def naive(self, **fields):
        fields.setdefault("decided_at", datetime.datetime.now(datetime.UTC))
        time.sleep(0.3)
        SupportRequest.objects.filter(pk=self.pk).update(**fields)

    monkeypatch.setattr(SupportRequest, "answered", naive)

    outcomes = in_parallel(*declines(support, first, second))

    assert not any(isinstance(o, Exception) for o in outcomes)
    assert len(django_tasks.emails()) == 2


def test_two_schedulers_at_once_send_each_follow_up_once(django_tasks, monkeypatch):
    cohort = CohortFactory(concluded_at=paris(2027, 1, 31, 17))
    SynthesisFactory(enrolment=EnrolmentFactory(cohort=cohort), signed=True)
    django_tasks.clear()
    send = emails.follow_up_sent

    def slow_send(follow_up):
        time.sleep(0.3)  # hold the first transaction open while the second one inserts
        send(follow_up)

    monkeypatch.setattr(emails, "follow_up_sent", slow_send)
    now = paris(2027, 4, 30, 9)

    outcomes = in_parallel(lambda: send_follow_ups(now=now), lambda: send_follow_ups(now=now))

    assert sorted(outcomes) == [0, 1]
    assert FollowUp.objects.count() == 1
    assert len(django_tasks.emails()) == 1

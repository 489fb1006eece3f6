"""The periodic jobs: recording implicit rejections and reminding deciders."""

import datetime
import io

import pytest
from django.core.management import call_command

from bpp.people.models import Role
from bpp.requests.jobs import (
    record_implicit_rejections,
    record_postponement_ends,
    send_deadline_reminders,
)
from bpp.requests.models import ReviewRequest, Status
from tests.clock import paris
from tests.people.factories import AgentFactory, RoleFactory, UserFactory
from tests.requests.factories import ReviewRequestFactory

pytestmark = pytest.mark.django_db


def pending(received_on: datetime.date, **kwargs) -> ReviewRequest:
    agent = AgentFactory(manager=UserFactory())
    return ReviewRequestFactory(agent=agent, received_on=received_on, **kwargs)


def stored_status(review_request) -> str:
    review_request.refresh_from_db(fields=["status"])
    return review_request.status


# Implicit rejections -----------------------------------------------------------


def test_it_records_only_the_requests_past_their_deadline():
    on_deadline = pending(datetime.date(2026, 12, 31))  # deadline 28 February 2027
    overdue = pending(datetime.date(2026, 12, 30))  # deadline 28 February 2027 too
    older = pending(datetime.date(2026, 12, 27))  # deadline 27 February 2027

    assert record_implicit_rejections(now=paris(2027, 2, 28, 23, 59)) == 1
    assert stored_status(older) == Status.IMPLICITLY_REJECTED
    assert stored_status(on_deadline) == Status.PENDING

    assert record_implicit_rejections(now=paris(2027, 3, 1, 0, 1)) == 2
    assert {stored_status(r) for r in (on_deadline, overdue, older)} == {Status.IMPLICITLY_REJECTED}


def test_it_is_idempotent_and_notifies_once(django_tasks):
    review_request = pending(datetime.date(2026, 9, 1))

    first = record_implicit_rejections(now=paris(2026, 11, 2))
    second = record_implicit_rejections(now=paris(2026, 11, 3))

    assert (first, second) == (1, 0)
    assert review_request.transitions.filter(to_status=Status.IMPLICITLY_REJECTED).count() == 1
    recipients = sorted(r for mail in django_tasks.emails() for r in mail["to"])
    assert recipients == sorted(
        [review_request.agent.user.email, review_request.agent.manager.email]
    )


def test_it_leaves_decided_requests_alone():
    refused = pending(datetime.date(2026, 9, 1), status=Status.REFUSED, refusal_reason="Non.")

    assert record_implicit_rejections(now=paris(2026, 11, 2)) == 0
    assert stored_status(refused) == Status.REFUSED


def test_it_handles_more_rows_than_one_batch():
    for _ in range(5):
        pending(datetime.date(2026, 9, 1))

    assert record_implicit_rejections(now=paris(2026, 11, 2), batch_size=2) == 5
    assert not ReviewRequest.objects.overdue(datetime.date(2026, 11, 2)).exists()


def test_the_command_says_how_many_it_recorded(capsys):
    pending(datetime.date(2020, 1, 1))

    call_command("record_implicit_rejections")

    assert "1 rejet(s) implicite(s) enregistré(s)" in capsys.readouterr().out


# Reminders -------------------------------------------------------------------


def reminded(django_tasks) -> list[tuple[str, str]]:
    return [(m["to"][0], m["subject"]) for m in django_tasks.emails()]


def test_the_manager_is_reminded_15_days_before_and_hr_is_alerted_on_the_last_reminder(
    django_tasks,
):
    review_request = pending(datetime.date(2026, 11, 20))  # deadline 20 January 2027
    hr = RoleFactory(role=Role.HR, organisation=review_request.organisation).user
    manager = review_request.agent.manager

    send_deadline_reminders(now=paris(2027, 1, 4), steps=[15, 3])  # 16 days left
    assert reminded(django_tasks) == []

    send_deadline_reminders(now=paris(2027, 1, 5), steps=[15, 3])  # 15 days left
    assert [to for to, _ in reminded(django_tasks)] == [manager.email]

    django_tasks.clear()
    send_deadline_reminders(now=paris(2027, 1, 6), steps=[15, 3])
    assert reminded(django_tasks) == []  # nobody is reminded twice for one step

    send_deadline_reminders(now=paris(2027, 1, 17), steps=[15, 3])  # 3 days left
    assert sorted(to for to, _ in reminded(django_tasks)) == sorted([manager.email, hr.email])
    assert "Alerte" in dict(reminded(django_tasks))[hr.email]


def test_a_late_first_run_sends_only_the_nearest_reminder(django_tasks):
    pending(datetime.date(2026, 11, 20))  # deadline 20 January 2027

    sent = send_deadline_reminders(now=paris(2027, 1, 18), steps=[15, 3])  # 2 days left

    assert sent == 1
    [(_, subject)] = reminded(django_tasks)
    assert "20 janvier 2027" in subject


def test_reminders_skip_decided_and_overdue_requests(django_tasks):
    pending(datetime.date(2026, 11, 20), status=Status.APPROVED)
    pending(datetime.date(2026, 11, 1))  # deadline 1 January 2027: past

    assert send_deadline_reminders(now=paris(2027, 1, 18), steps=[15, 3]) == 0


def test_the_reminder_on_the_deadline_day_says_it_is_the_last_day(django_tasks):
    pending(datetime.date(2026, 11, 20))

    send_deadline_reminders(now=paris(2027, 1, 20, 8), steps=[15, 3])

    [mail] = django_tasks.emails()
    assert "C’est le dernier jour pour décider" in mail["text"]


# Ends of postponements ---------------------------------------------------------


def postponed(end: datetime.date, **kwargs) -> ReviewRequest:
    agent = AgentFactory(manager=UserFactory())
    return ReviewRequestFactory(
        agent=agent,
        received_on=datetime.date(2026, 8, 20),
        postponed=True,
        decided_at=paris(2026, 8, 31),
        postponement_end=end,
        **kwargs,
    )


def test_it_approves_a_postponed_request_the_day_after_its_end_only():
    review_request = postponed(datetime.date(2027, 2, 28))

    assert record_postponement_ends(now=paris(2027, 2, 28, 23, 59)) == 0
    assert stored_status(review_request) == Status.POSTPONED

    assert record_postponement_ends(now=paris(2027, 3, 1, 0, 1)) == 1
    assert stored_status(review_request) == Status.APPROVED


def test_it_records_an_end_once_keeps_the_rank_and_tells_the_agent_and_the_cmcs(django_tasks):
    review_request = postponed(datetime.date(2027, 2, 28))
    cmc = RoleFactory(role=Role.CMC, organisation=review_request.organisation).user
    RoleFactory(role=Role.CMC)  # another employer's adviser

    first = record_postponement_ends(now=paris(2027, 3, 1))
    second = record_postponement_ends(now=paris(2027, 3, 2))

    assert (first, second) == (1, 0)
    review_request.refresh_from_db()
    assert review_request.decided_at == paris(2026, 8, 31)  # ranked on the postponement day
    transition = review_request.transitions.get(to_status=Status.APPROVED)
    assert (transition.by, transition.reason) == (None, "Fin du report")
    assert transition.from_status == Status.POSTPONED
    recipients = sorted(r for mail in django_tasks.emails() for r in mail["to"])
    assert recipients == sorted([review_request.agent.user.email, cmc.email])


def test_the_command_records_the_ends_of_postponements():
    review_request = postponed(datetime.date(2026, 9, 30))

    call_command("record_postponement_ends", stdout=io.StringIO())

    assert stored_status(review_request) == Status.APPROVED

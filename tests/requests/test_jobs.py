"""The periodic jobs: recording implicit rejections and reminding deciders."""

import datetime
import io
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from bpp.mailer.models import Notification
from bpp.people.models import Role
from bpp.requests import emails
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


def pending(received_on: datetime.date, manager=None, **kwargs) -> ReviewRequest:
    agent = AgentFactory(manager=manager or UserFactory())
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


def delivered(django_tasks) -> list:
    """Run the queued tasks; the e-mails sent, emptied for the next run."""
    django_tasks.run()
    sent = list(mail.outbox)
    mail.outbox.clear()
    return sent


def to(messages, user) -> list:
    return [m for m in messages if m.to == [user.email]]


def queued_tasks() -> int:
    return DBTaskResult.objects.count()


def test_each_agent_gets_one_notice_and_their_manager_one_digest_naming_all(django_tasks):
    manager = UserFactory()
    requests = [pending(datetime.date(2026, 9, day), manager=manager) for day in (3, 1, 2)]

    assert record_implicit_rejections(now=paris(2026, 11, 4)) == 3

    assert queued_tasks() == 2  # one for the 3 agents' notices, one for the digest
    sent = delivered(django_tasks)
    for review_request in requests:
        [notice] = to(sent, review_request.agent.user)
        assert notice.subject == "Votre demande de bilan de parcours est rejetée implicitement"
    [digest] = to(sent, manager)
    assert digest.subject == (
        "3 demandes de bilan rejetées implicitement : relevé du 4 novembre 2026"
    )
    names = [str(r.agent) for r in sorted(requests, key=lambda r: r.decision_deadline)]
    positions = [digest.body.index(f"- {name} : ") for name in names]
    assert positions == sorted(positions)  # the oldest deadline first
    assert len(sent) == 4


def test_the_queue_holds_one_task_per_chunk_of_recipients(django_tasks, monkeypatch):
    monkeypatch.setattr(emails, "RECIPIENTS_PER_TASK", 2)
    managers = [UserFactory() for _ in range(3)]
    for day in range(5):
        pending(datetime.date(2026, 9, 1 + day), manager=managers[day % 3])

    record_implicit_rejections(now=paris(2026, 11, 10), batch_size=4)

    # 5 agents: 2 + 2 in the first batch of 4, 1 in the second; 3 managers: 2 + 1.
    assert queued_tasks() == 5
    assert len(delivered(django_tasks)) == 8


def test_the_hr_service_gets_the_digest_of_agents_without_manager(django_tasks):
    agent = AgentFactory(manager=None)
    hr = RoleFactory(role=Role.HR, organisation=agent.organisation).user
    RoleFactory(role=Role.HR)  # another employer's
    review_request = ReviewRequestFactory(agent=agent, received_on=datetime.date(2026, 9, 1))

    record_implicit_rejections(now=paris(2026, 11, 2))

    sent = delivered(django_tasks)
    assert sorted(m.to[0] for m in sent) == sorted([agent.user.email, hr.email])
    [digest] = to(sent, hr)
    assert f"- {review_request.agent} : délai de réponse expiré le 1er novembre 2026" in digest.body


def test_a_long_digest_names_the_first_and_counts_the_others(django_tasks, monkeypatch):
    monkeypatch.setattr(emails, "DIGEST_SHOWN", 2)
    manager = UserFactory()
    for day in (1, 2, 3, 4):
        pending(datetime.date(2026, 9, day), manager=manager)

    record_implicit_rejections(now=paris(2026, 11, 10))

    [digest] = to(delivered(django_tasks), manager)
    assert digest.body.count("délai de réponse expiré le") == 2
    assert "- et 2 autres" in digest.body
    assert "expiré le 1er novembre 2026" in digest.body


def test_it_is_idempotent_and_notifies_once(django_tasks):
    review_request = pending(datetime.date(2026, 9, 1))

    first = record_implicit_rejections(now=paris(2026, 11, 2))
    sent = delivered(django_tasks)
    second = record_implicit_rejections(now=paris(2026, 11, 3))

    assert (first, second) == (1, 0)
    assert review_request.transitions.filter(to_status=Status.IMPLICITLY_REJECTED).count() == 1
    assert sorted(m.to[0] for m in sent) == sorted(
        [review_request.agent.user.email, review_request.agent.manager.email]
    )
    assert delivered(django_tasks) == []


def test_each_message_is_kept_in_its_recipient_s_notifications(django_tasks):
    review_request = pending(datetime.date(2026, 9, 1))

    record_implicit_rejections(now=paris(2026, 11, 2))
    sent = delivered(django_tasks)

    agent, manager = review_request.agent.user, review_request.agent.manager
    for user, name in (
        (agent, "requests/implicitly_rejected"),
        (manager, "requests/implicit_rejections_digest"),
    ):
        [kept] = Notification.objects.filter(recipient=user)
        [message] = to(sent, user)
        assert (kept.name, kept.subject) == (name, message.subject)
        assert message.body.startswith(kept.text + "\n")


def run_each_task_directly() -> None:
    """Run the tasks queued now, as the worker would, leaving their rows queued."""
    for result in DBTaskResult.objects.order_by("enqueued_at", "id"):
        result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])


def test_a_task_run_again_sends_nothing_twice(django_tasks):
    review_request = pending(datetime.date(2026, 9, 1))
    record_implicit_rejections(now=paris(2026, 11, 2))
    run_each_task_directly()
    assert len(mail.outbox) == 2

    run_each_task_directly()  # as if each task ran again

    assert len(mail.outbox) == 2
    assert Notification.objects.filter(recipient=review_request.agent.user).count() == 1


def test_messages_the_mail_server_refuses_are_queued_one_by_one(django_tasks, monkeypatch):
    review_request = pending(datetime.date(2026, 9, 1))
    record_implicit_rejections(now=paris(2026, 11, 2))

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("down")

    with monkeypatch.context() as patch:
        patch.setattr(locmem.EmailBackend, "send_messages", refuse)
        run_each_task_directly()

    retries = django_tasks.emails()
    assert sorted(m["to"][0] for m in retries) == sorted(
        [review_request.agent.user.email, review_request.agent.manager.email]
    )
    assert Notification.objects.count() == 2  # kept once, however sent


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
    return [(m.to[0], m.subject) for m in delivered(django_tasks)]


def test_the_manager_is_reminded_15_days_before_and_hr_is_alerted_on_the_last_reminder(
    django_tasks,
):
    review_request = pending(datetime.date(2026, 11, 20))  # deadline 20 January 2027
    hr = RoleFactory(role=Role.HR, organisation=review_request.organisation).user
    manager = review_request.agent.manager

    send_deadline_reminders(now=paris(2027, 1, 4), steps=[15, 3])  # 16 days left
    assert reminded(django_tasks) == []

    send_deadline_reminders(now=paris(2027, 1, 5), steps=[15, 3])  # 15 days left
    assert reminded(django_tasks) == [
        (manager.email, "Rappel : demandes de bilan à décider bientôt, au 5 janvier 2027")
    ]

    send_deadline_reminders(now=paris(2027, 1, 6), steps=[15, 3])
    assert reminded(django_tasks) == []  # nobody is reminded twice for one step

    send_deadline_reminders(now=paris(2027, 1, 17), steps=[15, 3])  # 3 days left
    sent = dict(reminded(django_tasks))
    assert sorted(sent) == sorted([manager.email, hr.email])
    assert sent[hr.email].startswith("Alerte")


def test_a_late_first_run_sends_only_the_nearest_reminder(django_tasks):
    pending(datetime.date(2026, 11, 20))  # deadline 20 January 2027

    sent = send_deadline_reminders(now=paris(2027, 1, 18), steps=[15, 3])  # 2 days left

    assert sent == 1
    [message] = delivered(django_tasks)
    assert "au plus tard le mercredi 20 janvier 2027 (il reste 2 jours)" in message.body


def test_a_decider_gets_one_reminder_a_day_listing_their_requests_nearest_first(django_tasks):
    manager = UserFactory()
    later = pending(datetime.date(2026, 11, 30), manager=manager)  # deadline 30 January
    sooner = pending(datetime.date(2026, 11, 20), manager=manager)  # deadline 20 January

    assert send_deadline_reminders(now=paris(2027, 1, 18), steps=[15, 3]) == 2

    [message] = delivered(django_tasks)
    assert message.to == [manager.email]
    assert "2 demandes de bilan de parcours attendent votre décision" in message.body
    assert message.body.index(f"- {sooner.agent} :") < message.body.index(f"- {later.agent} :")
    assert "(il reste 12 jours)" in message.body

    assert send_deadline_reminders(now=paris(2027, 1, 18, 18), steps=[15, 3]) == 0
    assert delivered(django_tasks) == []  # a second run the same day sends nothing


def test_an_hr_officer_who_also_decides_gets_one_message_with_both_lists(django_tasks):
    without_manager = AgentFactory(manager=None)
    hr = RoleFactory(role=Role.HR, organisation=without_manager.organisation).user
    ReviewRequestFactory(agent=without_manager, received_on=datetime.date(2026, 11, 19))
    pending(datetime.date(2026, 11, 20), organisation=without_manager.organisation)

    send_deadline_reminders(now=paris(2027, 1, 18), steps=[15, 3])

    [message] = to(delivered(django_tasks), hr)
    assert "Une demande de bilan de parcours attend votre décision" in message.body
    assert "n’est toujours pas décidée par le manager" in message.body
    assert Notification.objects.filter(recipient=hr).count() == 1


def test_reminders_reach_every_due_request_however_many(django_tasks):
    manager = UserFactory()
    for day in range(10):
        pending(datetime.date(2026, 11, 20 + day), manager=manager)

    assert send_deadline_reminders(now=paris(2027, 1, 18), steps=[15, 3], batch_size=3) == 10

    [message] = delivered(django_tasks)
    assert "10 demandes de bilan" in message.body


def test_reminders_skip_decided_and_overdue_requests(django_tasks):
    pending(datetime.date(2026, 11, 20), status=Status.APPROVED)
    pending(datetime.date(2026, 11, 1))  # deadline 1 January 2027: past

    assert send_deadline_reminders(now=paris(2027, 1, 18), steps=[15, 3]) == 0


def test_the_reminder_on_the_deadline_day_says_it_is_the_last_day(django_tasks):
    pending(datetime.date(2026, 11, 20))

    send_deadline_reminders(now=paris(2027, 1, 20, 8), steps=[15, 3])

    [message] = delivered(django_tasks)
    assert "(c’est le dernier jour pour décider)" in message.body


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
    sent = delivered(django_tasks)
    assert sorted(m.to[0] for m in sent) == sorted([review_request.agent.user.email, cmc.email])
    [digest] = to(sent, cmc)
    assert f"- {review_request.agent} : report fini le 28 février 2027" in digest.body


def test_the_command_records_the_ends_of_postponements():
    review_request = postponed(datetime.date(2026, 9, 30))

    call_command("record_postponement_ends", stdout=io.StringIO())

    assert stored_status(review_request) == Status.APPROVED

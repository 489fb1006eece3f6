import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bpp.people.models import AgentProfile, Provider, Role, RoleAssignment, User, priority_public_q
from bpp.requests import deadlines
from bpp.requests import jobs as request_jobs
from bpp.requests.models import LIVE, RequestTransition, ReviewRequest, Status
from cohorts.models import (
    Attendance,
    Cohort,
    Enrolment,
    Evaluation,
    Formula,
    Session,
    waiting_for_a_seat,
)
from tests.clock import paris

pytestmark = pytest.mark.django_db


def counts():
    return (User.objects.count(), AgentProfile.objects.count(), RoleAssignment.objects.count())


def test_it_builds_a_realistic_organisation(capsys):
    call_command("seed_demo")

    assert AgentProfile.objects.count() >= 40
    assert AgentProfile.objects.filter(priority_public_q()).count() >= 5
    assert set(AgentProfile.objects.values_list("category", flat=True)) == {"A", "B", "C"}
    for role in [Role.MANAGER, Role.HR, Role.HR_ADMIN, Role.DISABILITY_OFFICER, Role.PROVIDER]:
        assert RoleAssignment.objects.filter(role=role).exists(), role
    assert RoleAssignment.objects.filter(role=Role.CMC).count() == 2
    assert Provider.objects.count() == 1
    output = capsys.readouterr().out
    assert "agent@ecologie.demo.gouv.fr" in output
    assert "demo-bpp-2026" in output
    # Counted after the cohorts' requests are added.
    assert f"{ReviewRequest.objects.count()} demandes de bilan de démonstration" in output


def test_it_is_idempotent():
    call_command("seed_demo")
    before = counts()

    call_command("seed_demo")

    assert counts() == before


def test_demo_accounts_sign_in_with_the_printed_password(client):
    call_command("seed_demo")

    response = client.post(
        reverse("login"),
        {"username": "agent@ecologie.demo.gouv.fr", "password": "demo-bpp-2026"},
    )

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_demo_has_requests_in_every_state_as_read_today():
    call_command("seed_demo", stdout=StringIO())

    states = set(ReviewRequest.objects.values_list("state", flat=True))
    stored = set(ReviewRequest.objects.values_list("status", flat=True))
    assert states == set(Status.values)
    # One overdue request is rejected at read time only, another one is recorded.
    assert ReviewRequest.objects.filter(
        state=Status.IMPLICITLY_REJECTED, status=Status.PENDING
    ).exists()
    assert Status.IMPLICITLY_REJECTED in stored


def test_the_demo_agent_may_ask_and_the_manager_has_a_request_on_its_last_day():
    call_command("seed_demo", stdout=StringIO())

    camille = User.objects.get(email="agent@ecologie.demo.gouv.fr").agent_profile
    assert not camille.review_requests.filter(state__in=LIVE).exists()
    assert camille.review_requests.filter(state=Status.REFUSED).exists()
    manager = User.objects.get(email="manager1@ecologie.demo.gouv.fr")
    assert ReviewRequest.objects.filter(
        agent__manager=manager, state=Status.PENDING, decision_deadline=deadlines.legal_today()
    ).exists()


def test_manager1_has_every_state_on_their_desk():
    call_command("seed_demo", stdout=StringIO())

    manager = User.objects.get(email="manager1@ecologie.demo.gouv.fr")
    team = ReviewRequest.objects.filter(agent__manager=manager)
    assert set(team.values_list("state", flat=True)) == set(Status.values)
    today = deadlines.legal_today()
    days_left = sorted(r.days_left(today) for r in team.filter(state=Status.PENDING))
    assert days_left[:3] == [0, 2, 14]
    assert team.filter(state=Status.PENDING, received_on=today).exists()
    recorded = team.get(status=Status.IMPLICITLY_REJECTED)
    assert recorded.transitions.last().by is None
    assert team.get(status=Status.REFUSED).refusal_reason


def test_the_demo_histories_make_sense():
    call_command("seed_demo", stdout=StringIO())

    now, today = timezone.now(), deadlines.legal_today()
    for review_request in ReviewRequest.objects.prefetch_related("transitions"):
        review_request.validate_constraints()
        transitions = list(review_request.transitions.all())
        previous = ["", *(t.to_status for t in transitions[:-1])]
        assert [t.from_status for t in transitions] == previous
        assert transitions[-1].to_status == review_request.status
        assert transitions[0].at == review_request.created_at
        if review_request.received_on:
            assert review_request.decision_deadline == deadlines.decision_deadline(
                review_request.received_on
            )
    # Those of seed_demo; the cohorts' seeding dates some approvals ahead (reported).
    for review_request in ReviewRequest.objects.filter(enrolments__isnull=True):
        assert review_request.received_on is None or review_request.received_on <= today
        assert review_request.decided_at is None or review_request.decided_at <= now
        assert max(t.at for t in review_request.transitions.all()) <= now


def test_the_hr_queue_and_the_disability_officer_have_approved_requests():
    call_command("seed_demo", stdout=StringIO())

    waiting = list(waiting_for_a_seat(ReviewRequest.objects.select_related("agent")))
    priority = [r.agent.is_priority for r in waiting]
    assert priority[0] and not priority[-1]
    assert priority == sorted(priority, reverse=True)
    assert any(r.agent.covered_by_l5212_13 for r in waiting)


def test_seeding_twice_keeps_the_same_requests_and_queues_no_e_mail():
    tasks = DBTaskResult.objects.count()
    call_command("seed_demo", stdout=StringIO())
    count = ReviewRequest.objects.count()
    transitions = RequestTransition.objects.count()

    call_command("seed_demo", stdout=StringIO())

    assert ReviewRequest.objects.count() == count
    assert RequestTransition.objects.count() == transitions
    assert DBTaskResult.objects.count() == tasks
    # The reminders already went out, as if the daily job had run all along.
    assert request_jobs.send_deadline_reminders() == 0


@time_machine.travel(paris(2027, 1, 31, 10), tick=False)
def test_the_demo_builds_at_a_month_end_where_no_request_can_end_today():
    # Nothing received in November ends on 31 January: the most urgent ends on 1 February.
    call_command("seed_demo", stdout=StringIO())

    most_urgent = ReviewRequest.objects.filter(state=Status.PENDING).earliest("decision_deadline")
    assert most_urgent.decision_deadline == datetime.date(2027, 2, 1)
    assert set(ReviewRequest.objects.values_list("state", flat=True)) == set(Status.values)
    for review_request in ReviewRequest.objects.all():
        review_request.validate_constraints()
        if review_request.received_on:
            assert review_request.decision_deadline == deadlines.decision_deadline(
                review_request.received_on
            )


@time_machine.travel(paris(2026, 11, 23, 0, 30), tick=False)
def test_the_demo_seeded_before_dawn_dates_nothing_in_the_future():
    call_command("seed_demo", stdout=StringIO())

    fresh = ReviewRequest.objects.get(received_on=datetime.date(2026, 11, 23), enrolments=None)
    assert fresh.created_at == timezone.now()
    assert fresh.transitions.get().at == timezone.now()


def test_the_demo_offer_has_cohorts_in_every_phase_and_a_waiting_queue():
    call_command("seed_demo", stdout=StringIO())

    cohorts = Cohort.objects.all()
    assert {c.current_phase for c in cohorts} >= {None, 1, 2, 3, 4}
    assert cohorts.filter(concluded_at__isnull=False).exists()
    assert cohorts.filter(provider__isnull=False).exists()
    assert cohorts.filter(formula=Formula.INDIVIDUAL).exists()
    assert any(c.free_seats == 1 for c in cohorts)
    for cohort in cohorts:
        assert (
            cohort.seats_taken
            == Enrolment.objects.filter(cohort=cohort, withdrawn_at__isnull=True).count()
        )
    waiting = ReviewRequest.objects.filter(state=Status.APPROVED).exclude(enrolments__isnull=False)
    assert waiting.count() >= 5


def test_the_demo_cohorts_have_sessions_attendance_and_answered_questionnaires():
    call_command("seed_demo", stdout=StringIO())

    assert Session.objects.filter(kind="entretien_final", phase=4).exists()
    assert Attendance.objects.exists()
    assert Evaluation.objects.filter(answered_at__isnull=False).count() >= 5


def test_no_demo_request_is_decided_or_placed_in_the_future():
    call_command("seed_demo", stdout=StringIO())

    now = timezone.now()
    assert not ReviewRequest.objects.filter(decided_at__gt=now).exists()
    assert not Enrolment.objects.filter(placed_at__gt=now).exists()
    assert not RequestTransition.objects.filter(at__gt=now).exists()

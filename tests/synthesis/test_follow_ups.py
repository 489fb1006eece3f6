"""The follow-up of the action plan is sent 3 and 6 months after the cohort actually
concluded, once, and only to an agent who stayed and signed a plan."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from synthesis.jobs import send_follow_ups
from synthesis.models import FollowUp, FollowUpError
from tests.clock import paris
from tests.cohorts.factories import CohortFactory, EnrolmentFactory
from tests.synthesis.factories import SAMPLE_CONTENT, SynthesisFactory

pytestmark = pytest.mark.django_db

CONCLUDED = paris(2027, 1, 31, 17)


def signed_synthesis(concluded_at=CONCLUDED, **kwargs):
    cohort = CohortFactory(concluded_at=concluded_at)
    return SynthesisFactory(enrolment=EnrolmentFactory(cohort=cohort), signed=True, **kwargs)


def test_three_months_after_31_january_is_30_april(django_tasks):
    synthesis = signed_synthesis()

    assert send_follow_ups(now=paris(2027, 4, 29, 9)) == 0
    assert send_follow_ups(now=paris(2027, 4, 30, 9)) == 1

    follow_up = FollowUp.objects.get()
    assert (follow_up.synthesis, follow_up.months) == (synthesis, 3)
    assert [a["title"] for a in follow_up.actions] == [
        a["title"] for a in SAMPLE_CONTENT["actions"]
    ]
    [mail] = django_tasks.emails()
    assert mail["to"] == [synthesis.enrolment.agent.user.email]
    assert reverse("synthesis:follow_up", args=[follow_up.pk]) in mail["text"]
    # The e-mail says something awaits, never a word of the plan.
    assert "Se former" not in mail["text"]


def test_the_plan_is_stored_encrypted_under_the_synthesis_key():
    signed_synthesis()
    send_follow_ups(now=paris(2027, 4, 30, 9))

    [sealed] = FollowUp.objects.values_list("actions", flat=True)
    assert "Se former" not in sealed.token


def test_a_cohort_concluded_early_counts_from_its_actual_end(django_tasks):
    # Phase 4 was planned to end on 28 March; the cohort concluded on 15 February.
    signed_synthesis(concluded_at=paris(2027, 2, 15, 12))

    assert send_follow_ups(now=paris(2027, 5, 14, 9)) == 0
    assert send_follow_ups(now=paris(2027, 5, 15, 9)) == 1


def test_the_six_month_follow_up_comes_after_the_three_month_one(django_tasks):
    signed_synthesis()

    sent = [
        send_follow_ups(now=paris(*day, 9)) for day in [(2027, 4, 30), (2027, 7, 30), (2027, 7, 31)]
    ]

    assert sent == [1, 0, 1]
    assert list(FollowUp.objects.values_list("months", flat=True)) == [3, 6]


def test_a_late_run_sends_only_the_follow_up_still_due(django_tasks):
    """The job did not run for months: on 31 July only the 6-month check-in goes."""
    signed_synthesis()

    send_follow_ups(now=paris(2027, 7, 31, 9))

    assert list(FollowUp.objects.values_list("months", flat=True)) == [6]


def test_nothing_after_the_last_window(django_tasks):
    signed_synthesis()

    assert send_follow_ups(now=paris(2027, 10, 31, 9)) == 0


def test_an_agent_who_left_the_cohort_gets_none(django_tasks):
    synthesis = signed_synthesis()
    type(synthesis.enrolment).objects.filter(pk=synthesis.enrolment.pk).update(
        withdrawn_at=paris(2027, 1, 20)
    )

    assert send_follow_ups(now=paris(2027, 4, 30, 9)) == 0
    assert django_tasks.emails() == []


def test_no_signed_plan_no_follow_up(django_tasks):
    cohort = CohortFactory(concluded_at=CONCLUDED)
    SynthesisFactory(enrolment=EnrolmentFactory(cohort=cohort), written=True)  # not signed
    signed_synthesis(_content=SAMPLE_CONTENT | {"actions": []})  # signed, no action

    assert send_follow_ups(now=paris(2027, 4, 30, 9)) == 0


def test_two_runs_the_same_day_send_once(django_tasks):
    signed_synthesis()
    out = StringIO()

    call_command("send_follow_ups", stdout=out)  # today: nothing concluded recently
    first = send_follow_ups(now=paris(2027, 4, 30, 9))
    second = send_follow_ups(now=paris(2027, 4, 30, 9, 5))

    assert (first, second) == (1, 0)
    assert FollowUp.objects.count() == 1
    assert len(django_tasks.emails()) == 1
    assert "0 suivi(s)" in out.getvalue()


def test_destroying_the_synthesis_destroys_its_follow_ups():
    synthesis = signed_synthesis()
    send_follow_ups(now=paris(2027, 4, 30, 9))

    synthesis.destroy()

    assert not FollowUp.objects.exists()


def test_an_answer_must_cover_every_action_with_a_known_status():
    signed_synthesis()
    send_follow_ups(now=paris(2027, 4, 30, 9))
    follow_up = FollowUp.objects.get()
    day = datetime.date(2027, 4, 1)

    for answers in ([("realisee", day)], [("realisee", day), ("peut-etre", day)]):
        with pytest.raises(FollowUpError, match="chacune des actions"):
            follow_up.answer(
                answers=answers,
                training_started=False,
                mobility_achieved=False,
                shared_with_leader=False,
            )
    assert not FollowUp.objects.answered().exists()

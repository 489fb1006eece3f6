from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bpp.people.models import Role
from cohorts.models import Evaluation, Phase
from cohorts.services import advance_cohort, withdraw_agent
from tests.clock import paris
from tests.cohorts.factories import CohortFactory, EnrolmentFactory
from tests.people.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

ANSWERS = {
    "overall_score": "9",
    "informed_of_offer": "4",
    "delay_communicated": "3",
    "adapted": "4",
    "confidential": "4",
    "synthesis_help": "3",
    "comment": "Merci au groupe.",
}


def concluded_cohort_with(agents: int):
    cohort = CohortFactory(current_phase=Phase.CONCLUSION, seats_taken=agents)
    enrolments = [EnrolmentFactory(cohort=cohort) for _ in range(agents)]
    return cohort, enrolments


def test_concluding_a_cohort_sends_each_agent_the_hot_questionnaire(django_tasks):
    cohort, enrolments = concluded_cohort_with(3)

    advance_cohort(cohort=cohort, by=UserFactory())

    assert Evaluation.objects.filter(kind="chaud").count() == 3
    assert sorted(m["to"][0] for m in django_tasks.emails()) == sorted(
        e.agent.user.email for e in enrolments
    )


def test_an_agent_who_leaves_is_asked_at_once_and_only_once(django_tasks):
    cohort, (leaver, staying) = concluded_cohort_with(2)

    withdraw_agent(enrolment=leaver, reason="Mutation")

    [asked] = Evaluation.objects.filter(kind="chaud")
    assert asked.enrolment == leaver
    assert any(leaver.agent.user.email in m["to"] for m in django_tasks.emails())
    advance_cohort(cohort=cohort, by=UserFactory())
    assert sorted(e.enrolment_id for e in Evaluation.objects.filter(kind="chaud")) == sorted(
        [leaver.pk, staying.pk]
    )


def test_the_cold_questionnaire_reaches_those_who_left_too():
    cohort, (leaver, _) = concluded_cohort_with(2)
    withdraw_agent(enrolment=leaver)
    cohort.concluded_at = paris(2026, 5, 22, 10)
    cohort.save()

    with time_machine.travel(paris(2026, 11, 22, 8), tick=False):
        call_command("send_cold_evaluations", stdout=StringIO())

    assert Evaluation.objects.filter(kind="froid").count() == 2


def test_the_agent_answers_once(client):
    cohort, [enrolment] = concluded_cohort_with(1)
    advance_cohort(cohort=cohort, by=UserFactory())
    evaluation = Evaluation.objects.get()
    client.force_login(enrolment.agent.user)
    url = reverse("cohorts:evaluation", args=[evaluation.pk])

    client.post(url, ANSWERS)
    client.post(url, ANSWERS | {"overall_score": "0"})

    evaluation.refresh_from_db()
    assert evaluation.overall_score == 9
    assert evaluation.answered_at is not None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("overall_score", "11", "La note va de 0 à 10"), ("adapted", "", "Répondez à cette question")],
)
def test_bad_answers_are_refused_in_french(client, field, value, message):
    cohort, [enrolment] = concluded_cohort_with(1)
    advance_cohort(cohort=cohort, by=UserFactory())
    client.force_login(enrolment.agent.user)

    response = client.post(
        reverse("cohorts:evaluation", args=[Evaluation.objects.get().pk]), ANSWERS | {field: value}
    )

    assert message in response.text
    assert Evaluation.objects.get().answered_at is None


def answer_all(cohort, count: int, score: int = 8):
    for evaluation in Evaluation.objects.filter(enrolment__cohort=cohort)[:count]:
        evaluation.overall_score = score
        evaluation.answered_at = timezone.now()
        for name in ("informed_of_offer", "delay_communicated", "adapted", "confidential"):
            setattr(evaluation, name, 4)
        evaluation.synthesis_help = 2
        evaluation.comment = "Très utile."
        evaluation.save()


def test_results_stay_hidden_below_five_answers(client):
    cohort, _ = concluded_cohort_with(6)
    advance_cohort(cohort=cohort, by=UserFactory())
    answer_all(cohort, 4)
    client.force_login(RoleFactory(role=Role.CMC, organisation=cohort.organisation).user)

    response = client.get(reverse("cohorts:evaluation_results", args=[cohort.pk]))

    assert "4 réponses sur 6" in response.text
    assert "Note globale moyenne" not in response.text
    assert "Très utile." not in response.text


def test_results_show_as_averages_from_five_answers(client):
    cohort, _ = concluded_cohort_with(6)
    advance_cohort(cohort=cohort, by=UserFactory())
    answer_all(cohort, 5, score=9)
    client.force_login(RoleFactory(role=Role.HR, organisation=cohort.organisation).user)

    response = client.get(reverse("cohorts:evaluation_results", args=[cohort.pk]))

    assert "Note globale moyenne : <strong>9,0 / 10</strong>" in response.text
    assert "Très utile." in response.text


@pytest.mark.parametrize(("concluded_on", "sent"), [((2026, 5, 22), 1), ((2026, 5, 23), 0)])
def test_the_cold_questionnaire_waits_six_months_to_the_day(concluded_on, sent):
    cohort, _ = concluded_cohort_with(1)
    cohort.concluded_at = paris(*concluded_on, 23, 30)
    cohort.save()

    with time_machine.travel(paris(2026, 11, 22, 8), tick=False):
        call_command("send_cold_evaluations", stdout=StringIO())

    assert Evaluation.objects.filter(kind="froid").count() == sent


def test_the_cold_questionnaire_goes_out_six_months_after_the_conclusion_once(django_tasks):
    cohort, _ = concluded_cohort_with(2)
    cohort.concluded_at = paris(2026, 5, 20)
    cohort.save()

    with time_machine.travel(paris(2026, 11, 25, 8), tick=False):  # not today's date
        call_command("send_cold_evaluations", stdout=StringIO())
        call_command("send_cold_evaluations", stdout=StringIO())

    assert Evaluation.objects.filter(kind="froid").count() == 2
    assert len(django_tasks.emails()) == 2


def test_the_cold_questionnaires_go_out_in_batches_each_agent_once(django_tasks, monkeypatch):
    from cohorts import services

    monkeypatch.setattr(services, "EVALUATIONS_BATCH", 2)  # 5 agents: batches of 2, 2, 1
    cohort, enrolments = concluded_cohort_with(5)
    cohort.concluded_at = paris(2026, 5, 20)
    cohort.save()
    out = StringIO()

    with time_machine.travel(paris(2026, 11, 25, 8), tick=False):
        call_command("send_cold_evaluations", stdout=out)
        call_command("send_cold_evaluations", stdout=out)

    sent = Evaluation.objects.filter(kind="froid")
    assert sorted(sent.values_list("enrolment", flat=True)) == sorted(e.pk for e in enrolments)
    assert len(django_tasks.emails()) == 5
    assert out.getvalue().splitlines() == [
        "5 questionnaire(s) à froid envoyé(s).",
        "0 questionnaire(s) à froid envoyé(s).",
    ]

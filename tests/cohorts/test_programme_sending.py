"""The programme's messages go on their day, from the cohort's current dates, once per
agent: never after the cohort ended, never to an agent who left, never twice."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from bpp.mailer.models import Notification
from cohorts.jobs import send_programme
from cohorts.models import (
    Anchor,
    Cohort,
    CohortPhase,
    Enrolment,
    ItemKind,
    Phase,
    ProgrammeDelivery,
    ProgrammeItem,
)
from tests.clock import paris
from tests.cohorts.factories import CohortFactory, EnrolmentFactory, SessionFactory
from tests.concurrency import POSTGRESQL_ONLY, in_parallel

# Phase 2 of the factory's cohorts starts on Monday 1 February 2027.
PHASE_2 = datetime.date(2027, 2, 1)


def running_cohort(phase: int = Phase.ANALYSIS, agents: int = 2) -> tuple[Cohort, list]:
    """A cohort in `phase`, with agents who signed their contract."""
    cohort = CohortFactory(phases=datetime.date(2027, 1, 11))
    enrolments = [
        EnrolmentFactory(cohort=cohort, contract_signed_at=paris(2027, 1, 12), contract_version="1")
        for _ in range(agents)
    ]
    Cohort.objects.filter(pk=cohort.pk).update(
        current_phase=phase, started_at=paris(2027, 1, 11), seats_taken=agents
    )
    cohort.refresh_from_db()
    return cohort, enrolments


def item(cohort: Cohort, **fields) -> ProgrammeItem:
    """An item of the cohort's own programme (so only it is followed)."""
    defaults = {
        "phase": Phase.ANALYSIS,
        "anchor": Anchor.PHASE_START,
        "offset_days": 2,
        "kind": ItemKind.MESSAGE,
        "title": "Préparer la séance",
        "body": "Relisez vos notes.",
    }
    return ProgrammeItem.objects.create(cohort=cohort, **(defaults | fields))


def sent_to(enrolment: Enrolment) -> list[str]:
    return list(
        Notification.objects.filter(
            recipient=enrolment.agent.user, name="cohorts/programme_item"
        ).values_list("subject", flat=True)
    )


pytestmark = pytest.mark.django_db


def test_an_item_goes_on_its_day_once_to_each_agent(django_tasks):
    cohort, enrolments = running_cohort()
    item(cohort, offset_days=2)

    assert send_programme(now=paris(2027, 2, 2)) == 0  # the day before
    assert send_programme(now=paris(2027, 2, 3)) == 2
    assert send_programme(now=paris(2027, 2, 3, 18)) == 0  # a rerun
    assert send_programme(now=paris(2027, 2, 4)) == 0  # the next day

    for enrolment in enrolments:
        assert sent_to(enrolment) == ["Votre bilan de parcours : Préparer la séance"]
    assert len(django_tasks.emails()) == 2


def test_an_exercise_anchored_on_the_first_session_waits_for_it(django_tasks):
    cohort, (enrolment, _) = running_cohort()
    item(cohort, kind=ItemKind.EXERCISE, anchor=Anchor.FIRST_SESSION, title="Mes valeurs")

    assert send_programme(now=paris(2027, 2, 20)) == 0  # no session yet
    SessionFactory(cohort=cohort, phase=2, starts_at=paris(2027, 2, 15, 9, 30))
    assert send_programme(now=paris(2027, 2, 16)) == 0
    assert send_programme(now=paris(2027, 2, 17)) == 2
    assert sent_to(enrolment) == ["Exercice : Mes valeurs"]


def test_moving_the_phase_after_planning_moves_the_message(django_tasks):
    cohort, (enrolment, _) = running_cohort()
    item(cohort, offset_days=2)
    # The phase is put back a week before its message went.
    CohortPhase.objects.filter(cohort=cohort, number=2).update(
        starts_on=PHASE_2 + datetime.timedelta(weeks=1)
    )

    assert send_programme(now=paris(2027, 2, 3)) == 0
    assert send_programme(now=paris(2027, 2, 10)) == 2
    assert sent_to(enrolment) == ["Votre bilan de parcours : Préparer la séance"]


def test_dates_moved_back_send_only_what_fell_due_in_the_catch_up_window(django_tasks):
    cohort, (enrolment, _) = running_cohort()
    item(cohort, offset_days=0, title="Long ago")
    item(cohort, offset_days=20, title="Lately")
    item(cohort, offset_days=40, title="Later")

    phase_2 = CohortPhase.objects.filter(cohort=cohort, number=2)
    phase_2.update(starts_on=datetime.date(2027, 3, 1), ends_on=datetime.date(2027, 3, 21))
    assert send_programme(now=paris(2027, 2, 24)) == 0

    # The phase is put forward to 1 February: the first item fell due on that day, more
    # than CATCH_UP_DAYS days ago, and is not sent any more; the second fell due 4 days
    # ago and goes; the third is due on 13 March.
    phase_2.update(starts_on=PHASE_2, ends_on=datetime.date(2027, 2, 21))
    send_programme(now=paris(2027, 2, 25))

    assert sent_to(enrolment) == ["Votre bilan de parcours : Lately"]


def test_a_cohort_concluded_early_gets_nothing_more(django_tasks):
    cohort, (_enrolment, _) = running_cohort()
    item(cohort, phase=Phase.CONCLUSION, offset_days=0)
    Cohort.objects.filter(pk=cohort.pk).update(
        current_phase=Phase.CONCLUSION, concluded_at=paris(2027, 2, 10)
    )

    assert send_programme(now=paris(2027, 3, 15)) == 0
    assert not ProgrammeDelivery.objects.exists()


def test_a_cancelled_cohort_gets_nothing(django_tasks):
    cohort, _ = running_cohort()
    item(cohort)
    Cohort.objects.filter(pk=cohort.pk).update(cancelled_at=paris(2027, 2, 1))

    assert send_programme(now=paris(2027, 2, 3)) == 0


def test_an_agent_who_left_gets_nothing(django_tasks):
    cohort, (staying, leaving) = running_cohort()
    item(cohort)
    Enrolment.objects.filter(pk=leaving.pk).update(
        withdrawn_at=paris(2027, 2, 2), withdrawal_reason="Mutation."
    )

    assert send_programme(now=paris(2027, 2, 3)) == 1
    assert sent_to(leaving) == []
    assert len(sent_to(staying)) == 1


def test_an_agent_who_turned_messages_off_gets_only_the_essential_ones(django_tasks):
    cohort, (quiet, _) = running_cohort()
    item(cohort, title="Un conseil")
    item(cohort, title="Changement de salle", essential=True)
    Enrolment.objects.filter(pk=quiet.pk).update(programme_messages=False)

    send_programme(now=paris(2027, 2, 3))

    assert sent_to(quiet) == ["Votre bilan de parcours : Changement de salle"]


def test_phase_2_waits_for_the_contract_and_for_the_phase(django_tasks):
    cohort, (unsigned, _signed) = running_cohort(phase=Phase.LAUNCH)
    Enrolment.objects.filter(pk=unsigned.pk).update(contract_signed_at=None, contract_version="")
    item(cohort, offset_days=2)

    assert send_programme(now=paris(2027, 2, 3)) == 0  # the cohort is still in phase 1
    Cohort.objects.filter(pk=cohort.pk).update(current_phase=Phase.ANALYSIS)
    assert send_programme(now=paris(2027, 2, 4)) == 1
    assert sent_to(unsigned) == []


def test_the_national_programme_applies_without_a_customisation(django_tasks):
    running_cohort(phase=Phase.LAUNCH)
    enrolment = Enrolment.objects.first()

    send_programme(now=paris(2027, 1, 11))

    assert sent_to(enrolment) == [
        "Votre bilan de parcours : Bienvenue dans votre bilan de parcours professionnel"
    ]


def test_the_command_says_how_many_went(django_tasks):
    out = StringIO()
    call_command("send_programme", stdout=out)
    assert out.getvalue() == "0 message(s) du programme envoyé(s).\n"


def test_a_message_already_recorded_by_another_run_is_not_sent_again(django_tasks):
    cohort, (first, second) = running_cohort()
    message = item(cohort)
    # Another scheduler recorded the first agent's message a moment ago.
    ProgrammeDelivery.objects.create(
        item=message, enrolment=first, sent_at=timezone.now(), run="0" * 32
    )

    assert send_programme(now=paris(2027, 2, 3)) == 1
    assert sent_to(first) == []
    assert len(sent_to(second)) == 1


class TestTwoSchedulersAtOnce:
    pytestmark = POSTGRESQL_ONLY

    def test_each_message_goes_once(self):
        cohort, _enrolments = running_cohort(agents=6)
        item(cohort)

        outcomes = in_parallel(*[lambda: send_programme(now=paris(2027, 2, 3))] * 2)

        assert sorted(outcomes) == [0, 6]
        assert ProgrammeDelivery.objects.count() == 6
        assert Notification.objects.filter(name="cohorts/programme_item").count() == 6

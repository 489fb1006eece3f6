"""A concluded or cancelled cohort and all it holds go the day after its period ends
(RETENTION_MONTHS["cohorts"]); questionnaires after theirs (["questionnaires"])."""

import pytest

from bpp.requests.models import ReviewRequest
from cohorts.models import (
    Attendance,
    Cohort,
    CohortPhase,
    Enrolment,
    Evaluation,
    ExerciseAnswer,
    ItemKind,
    ProgrammeItem,
    Session,
)
from cohorts.retention import purge_cohorts, purge_questionnaires
from tests.clock import paris
from tests.cohorts.factories import CohortFactory, EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def months(settings):
    settings.RETENTION_MONTHS = {**settings.RETENTION_MONTHS, "cohorts": 36, "questionnaires": 1}


def concluded_cohort(at):
    enrolment = EnrolmentFactory()
    cohort = enrolment.cohort
    Cohort.objects.filter(pk=cohort.pk).update(concluded_at=at, seats_taken=1)
    session = SessionFactory(cohort=cohort, participants=[enrolment])
    Attendance.objects.create(session=session, enrolment=enrolment, status="present")
    return enrolment


def test_a_concluded_cohort_is_kept_through_its_last_day_then_deleted_whole(months):
    enrolment = concluded_cohort(paris(2025, 6, 30, 18))

    assert purge_cohorts(on=paris(2028, 6, 30).date())["cohorts"] == 0
    assert Attendance.objects.exists()

    counts = purge_cohorts(on=paris(2028, 7, 1).date())
    assert counts == {"sessions": 1, "answers": 0, "enrolments": 1, "requests": 1, "cohorts": 1}
    assert not Cohort.objects.exists()
    assert not CohortPhase.objects.exists()
    assert not Session.objects.exists()
    assert not Attendance.objects.exists()
    assert not Enrolment.objects.exists()
    assert not ReviewRequest.objects.filter(pk=enrolment.request_id).exists()


def test_a_cancelled_cohort_goes_the_same_way(months):
    cohort = CohortFactory()
    Cohort.objects.filter(pk=cohort.pk).update(cancelled_at=paris(2025, 2, 28))
    purge_cohorts(on=paris(2028, 2, 28).date())
    assert Cohort.objects.exists()
    purge_cohorts(on=paris(2028, 2, 29).date())
    assert not Cohort.objects.exists()


def test_a_running_cohort_is_never_purged(months):
    EnrolmentFactory()
    assert purge_cohorts(on=paris(2040, 1, 1).date()) == {
        "sessions": 0,
        "answers": 0,
        "enrolments": 0,
        "requests": 0,
        "cohorts": 0,
    }


def test_an_enrolment_kept_for_its_synthesis_keeps_its_cohort_but_not_the_attendance(months):
    enrolment = concluded_cohort(paris(2020, 1, 1))
    other = EnrolmentFactory(cohort=enrolment.cohort)

    counts = purge_cohorts(
        on=paris(2028, 1, 1).date(),
        keep_enrolments=Enrolment.objects.filter(pk=enrolment.pk).values("pk"),
    )

    assert counts["enrolments"] == 1
    assert list(Enrolment.objects.all()) == [enrolment]
    assert not Enrolment.objects.filter(pk=other.pk).exists()
    assert Cohort.objects.filter(pk=enrolment.cohort_id).exists()
    assert not Attendance.objects.exists()


def test_a_request_still_needed_by_a_later_enrolment_stays(months):
    enrolment = concluded_cohort(paris(2020, 1, 1))
    Enrolment.objects.filter(pk=enrolment.pk).update(withdrawn_at=paris(2019, 12, 1))
    later = EnrolmentFactory(request=enrolment.request, agent=enrolment.agent)

    purge_cohorts(on=paris(2028, 1, 1).date())

    assert list(Enrolment.objects.all()) == [later]
    assert ReviewRequest.objects.filter(pk=enrolment.request_id).exists()


def test_questionnaires_go_after_their_period_answered_or_not(months):
    enrolment = EnrolmentFactory()
    Evaluation.objects.create(enrolment=enrolment, kind="chaud", sent_at=paris(2027, 1, 31))
    Evaluation.objects.create(
        enrolment=enrolment,
        kind="froid",
        sent_at=paris(2027, 2, 1),
        answered_at=paris(2027, 2, 2),
        overall_score=9,
    )

    assert purge_questionnaires(on=paris(2027, 2, 28).date()) == 0
    assert purge_questionnaires(on=paris(2027, 3, 1).date()) == 1
    assert list(Evaluation.objects.values_list("kind", flat=True)) == ["froid"]
    assert purge_questionnaires(on=paris(2027, 3, 2).date()) == 1
    assert Enrolment.objects.exists()


def test_the_workbook_goes_with_the_cohort_even_when_the_synthesis_stays(months):
    enrolment = concluded_cohort(paris(2020, 1, 1))
    exercise = ProgrammeItem.objects.national().filter(kind=ItemKind.EXERCISE).first()
    ExerciseAnswer.write(
        enrolment=enrolment, item=exercise, text="Mes valeurs.", now=paris(2019, 6, 1)
    )

    counts = purge_cohorts(
        on=paris(2028, 1, 1).date(),
        keep_enrolments=Enrolment.objects.filter(pk=enrolment.pk).values("pk"),
    )

    assert counts["answers"] == 1
    assert Enrolment.objects.filter(pk=enrolment.pk).exists()
    assert not ExerciseAnswer.objects.exists()

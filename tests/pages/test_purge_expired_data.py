"""`manage.py purge_expired_data`, run daily: every rule at once, in the order their
relations need, counted, and nothing more on a second run."""

import io

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from bpp import mailer
from bpp.mailer.models import Notification
from bpp.people.models import DeletionNotice
from bpp.requests.models import RequestTransition, ReviewRequest, Status
from cohorts.models import Cohort, Enrolment
from synthesis.models import Synthesis
from tests.clock import paris
from tests.cohorts.factories import EnrolmentFactory
from tests.people.factories import UserFactory
from tests.requests.factories import ReviewRequestFactory
from tests.synthesis.factories import SynthesisFactory

pytestmark = pytest.mark.django_db


def run(at) -> str:
    out = io.StringIO()
    with time_machine.travel(at, tick=False):
        call_command("purge_expired_data", stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def months(settings):
    settings.RETENTION_MONTHS = {
        **settings.RETENTION_MONTHS,
        "syntheses": 60,
        "cohorts": 36,
        "closed_requests": 24,
        "finished_tasks": 1,
        "notifications": 12,
    }


def test_a_cohort_waits_for_the_synthesis_kept_for_follow_up_then_goes_with_it(django_tasks):
    synthesis = SynthesisFactory(signed=True)
    Synthesis.objects.filter(pk=synthesis.pk).update(signed_at=paris(2022, 6, 15))
    cohort = synthesis.enrolment.cohort
    Cohort.objects.filter(pk=cohort.pk).update(concluded_at=paris(2022, 6, 30))
    django_tasks.clear()

    out = run(paris(2025, 7, 1, 3))  # the cohort's period is over, not the synthesis's
    assert "promotions : 0" in out and "séances (et émargements) : 0" in out
    assert Enrolment.objects.filter(pk=synthesis.enrolment_id).exists()

    out = run(paris(2027, 5, 16, 3))  # a month before 16 June 2027
    assert "avis de suppression envoyés : 1" in out
    out = run(paris(2027, 6, 16, 3))
    assert "synthèses : 1" in out
    assert "inscriptions : 1" in out
    assert "demandes des promotions terminées : 1" in out
    assert "promotions : 1" in out
    assert not Cohort.objects.exists()
    assert not ReviewRequest.objects.exists()
    assert not DeletionNotice.objects.exists()


def test_closed_requests_and_finished_tasks_go_and_a_second_run_finds_nothing(django_tasks):
    enrolled = EnrolmentFactory().request  # its cohort runs: the enrolment keeps it
    withdrawn_alone = ReviewRequestFactory(status=Status.WITHDRAWN)
    RequestTransition.objects.create(
        request=withdrawn_alone, to_status=Status.WITHDRAWN, at=paris(2024, 1, 31)
    )
    django_tasks.clear()
    with time_machine.travel(paris(2026, 1, 5), tick=False):
        mailer.send_email.enqueue(to=["a@exemple.gouv.fr"], subject="s", text="t", html="h")
    DBTaskResult.objects.update(status="SUCCESSFUL", finished_at=paris(2026, 1, 5, 12))

    out = run(paris(2026, 2, 5, 3))
    assert "demandes closes : 1" in out
    assert "tâches terminées (courriels) : 0" in out
    out = run(paris(2026, 2, 6, 3))
    assert "tâches terminées (courriels) : 1" in out
    assert not DBTaskResult.objects.exists()

    assert all(line.endswith(": 0") for line in run(paris(2026, 2, 6, 4)).splitlines())
    assert list(ReviewRequest.objects.all()) == [enrolled]


def test_notifications_go_a_year_after_they_were_sent_read_or_not(django_tasks):
    person = UserFactory()

    def sent(at, **fields):
        return Notification.objects.create(
            recipient=person, name="requests/received", subject="s", text="t", sent_at=at, **fields
        ).pk

    sent(paris(2025, 1, 31, 23, 30), read_at=paris(2025, 2, 1, 9))
    sent(paris(2025, 1, 31, 8))  # never read
    next_day_in_paris = sent(paris(2025, 2, 1, 0, 30))  # still 31 January in UTC

    assert "notifications : 0" in run(paris(2026, 1, 31, 23, 59))  # their last day
    assert "notifications : 2" in run(paris(2026, 2, 1, 3))
    assert list(Notification.objects.values_list("pk", flat=True)) == [next_day_in_paris]
    assert "notifications : 1" in run(paris(2026, 2, 2, 3))

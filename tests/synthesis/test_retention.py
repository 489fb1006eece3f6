"""A synthesis kept for follow-up goes RETENTION_MONTHS["syntheses"] months after its
signature (or the end of the review), its agent told once a month before, and never
sooner than a month after being told; who read it goes after ["read_logs"] months."""

import pytest

from bpp.people.models import DeletionNotice, Role
from bpp.requests.models import ReviewRequest, Status
from cohorts.models import Cohort, Enrolment
from synthesis.models import AccessRecord, Basis, Synthesis, SynthesisKey, SynthesisVersion
from synthesis.retention import purge_read_logs, purge_syntheses, send_deletion_notices
from tests.clock import paris
from tests.cohorts.factories import EnrolmentFactory
from tests.people.factories import RoleFactory
from tests.synthesis.factories import SynthesisFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def months(settings):
    settings.RETENTION_MONTHS = {**settings.RETENTION_MONTHS, "syntheses": 60, "read_logs": 12}


def signed_on(at, **kwargs) -> Synthesis:
    synthesis = SynthesisFactory(signed=True, **kwargs)
    Synthesis.objects.filter(pk=synthesis.pk).update(signed_at=at)
    return synthesis


def test_the_agent_is_told_one_month_before_on_that_day_not_the_day_before(django_tasks):
    # Signed on 30 March 2022: kept through 30 March 2027, deleted on 31 March 2027;
    # a month before that is 28 February (no 31 February).
    synthesis = signed_on(paris(2022, 3, 30, 15))
    django_tasks.clear()

    assert send_deletion_notices(now=paris(2027, 2, 27, 23, 59)) == 0
    assert send_deletion_notices(now=paris(2027, 2, 28, 0, 5)) == 1

    [email] = django_tasks.emails()
    assert email["to"] == [synthesis.enrolment.agent.user.email]
    assert email["subject"] == "Votre document de synthèse sera supprimé le 31 mars 2027"
    assert "/agent/mes-donnees.zip" in email["text"]
    notice = DeletionNotice.objects.get()
    assert (notice.subject_id, str(notice.deletes_on)) == (synthesis.pk, "2027-03-31")


def test_the_notice_is_never_sent_twice(django_tasks):
    signed_on(paris(2022, 3, 30))
    send_deletion_notices(now=paris(2027, 3, 1))
    assert send_deletion_notices(now=paris(2027, 3, 2)) == 0
    assert len(django_tasks.emails()) == 1


def test_one_email_per_agent_for_two_syntheses(django_tasks):
    first = signed_on(paris(2022, 3, 10))
    Enrolment.objects.filter(pk=first.enrolment_id).update(withdrawn_at=paris(2022, 3, 11))
    ReviewRequest.objects.filter(pk=first.enrolment.request_id).update(status=Status.WITHDRAWN)
    agent = first.enrolment.agent
    second = signed_on(
        paris(2022, 3, 12),
        enrolment=EnrolmentFactory(agent=agent, request__agent=agent),
    )
    django_tasks.clear()

    assert send_deletion_notices(now=paris(2027, 2, 28)) == 1

    [email] = django_tasks.emails()
    assert email["subject"] == "Vos documents de synthèse seront supprimés dans un mois"
    assert "le 11 mars 2027" in email["text"] and "le 13 mars 2027" in email["text"]
    assert set(DeletionNotice.objects.values_list("subject_id", flat=True)) == {
        first.pk,
        second.pk,
    }


def test_a_synthesis_goes_on_its_deletion_day_not_the_day_before():
    synthesis = signed_on(paris(2022, 3, 30))
    send_deletion_notices(now=paris(2027, 2, 28))

    assert purge_syntheses(on=paris(2027, 3, 30).date()) == 0
    assert purge_syntheses(on=paris(2027, 3, 31).date()) == 1

    assert not Synthesis.objects.filter(pk=synthesis.pk).exists()
    assert not SynthesisKey.objects.exists()  # the key first: unreadable in backups too
    assert not SynthesisVersion.objects.exists()
    assert not DeletionNotice.objects.exists()
    assert Enrolment.objects.filter(pk=synthesis.enrolment_id).exists()  # the cohort's
    assert purge_syntheses(on=paris(2027, 3, 31).date()) == 0


def test_never_deleted_without_a_months_notice_even_when_the_job_ran_late():
    synthesis = signed_on(paris(2022, 3, 30))

    assert purge_syntheses(on=paris(2027, 4, 15).date()) == 0  # nobody was told
    send_deletion_notices(now=paris(2027, 4, 15))
    assert purge_syntheses(on=paris(2027, 5, 14).date()) == 0
    assert purge_syntheses(on=paris(2027, 5, 15).date()) == 1
    assert not Synthesis.objects.filter(pk=synthesis.pk).exists()


def test_a_synthesis_never_signed_runs_from_the_end_of_the_review():
    synthesis = SynthesisFactory(written=True)
    Cohort.objects.filter(pk=synthesis.enrolment.cohort_id).update(
        concluded_at=paris(2021, 12, 31, 23, 30)
    )
    # Kept through 31 December 2026: told on 1 December (a month before 1 January).
    assert send_deletion_notices(now=paris(2026, 11, 30)) == 0
    assert send_deletion_notices(now=paris(2026, 12, 1)) == 1
    assert purge_syntheses(on=paris(2026, 12, 31).date()) == 0
    assert purge_syntheses(on=paris(2027, 1, 1).date()) == 1


def test_a_synthesis_of_a_running_review_or_destroyed_is_left_alone(django_tasks):
    SynthesisFactory(written=True)  # draft, cohort running
    destroyed = signed_on(paris(2010, 1, 1))
    destroyed.destroy()
    django_tasks.clear()

    assert send_deletion_notices(now=paris(2040, 1, 1)) == 0
    assert purge_syntheses(on=paris(2040, 1, 1).date()) == 0
    assert Synthesis.objects.count() == 2
    assert django_tasks.emails() == []


def test_a_notice_about_a_synthesis_the_agent_destroyed_goes_with_the_next_purge():
    synthesis = signed_on(paris(2022, 3, 30))
    send_deletion_notices(now=paris(2027, 2, 28))
    Synthesis.objects.get(pk=synthesis.pk).destroy()
    purge_syntheses(on=paris(2027, 3, 1).date())
    assert not DeletionNotice.objects.exists()


def test_read_logs_go_after_their_period():
    synthesis = SynthesisFactory(written=True)
    reader = RoleFactory(role=Role.HR, organisation=synthesis.enrolment.cohort.organisation).user
    for day in (paris(2026, 1, 31, 23, 50), paris(2026, 2, 1, 0, 10)):
        AccessRecord.objects.create(
            synthesis=synthesis, reader=reader, read_at=day, basis=Basis.HR, format="page"
        )

    assert purge_read_logs(on=paris(2027, 1, 31).date()) == 0
    assert purge_read_logs(on=paris(2027, 2, 1).date()) == 1
    assert purge_read_logs(on=paris(2027, 2, 2).date()) == 1
    assert Synthesis.objects.filter(pk=synthesis.pk).exists()


def test_an_amendment_signed_again_starts_a_new_period_and_needs_a_new_notice(django_tasks):
    synthesis = signed_on(paris(2022, 3, 30))
    send_deletion_notices(now=paris(2027, 2, 28))
    # The agent amends and signs again before the deletion: kept five more years.
    Synthesis.objects.filter(pk=synthesis.pk).update(signed_at=paris(2027, 3, 10))

    assert purge_syntheses(on=paris(2027, 3, 31).date()) == 0
    assert send_deletion_notices(now=paris(2027, 3, 31)) == 0
    assert purge_syntheses(on=paris(2032, 3, 11).date()) == 0  # its notice was the old one
    assert send_deletion_notices(now=paris(2032, 2, 10)) == 0
    assert send_deletion_notices(now=paris(2032, 2, 11)) == 1
    assert purge_syntheses(on=paris(2032, 3, 10).date()) == 0
    assert purge_syntheses(on=paris(2032, 3, 11).date()) == 1

"""
How long cohorts and questionnaires are kept (RGPD), see bpp.people.retention.

A concluded or cancelled cohort goes RETENTION_MONTHS["cohorts"] months after it ended:
first its sessions and attendance and its agents' workbooks (their answers to the
programme's exercises, which follow the cohort even when the synthesis stays: what the
agent wanted kept, they copied into it), then its enrolments with the requests they served,
then the cohort itself (phases, history). An enrolment whose synthesis is still kept
for follow-up stays (the caller names them, as the synthesis is a higher layer's), and
so does its cohort, until the synthesis's own period ends.

A questionnaire goes RETENTION_MONTHS["questionnaires"] months after it was sent.
"""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from bpp.people import retention
from bpp.requests.models import ReviewRequest
from cohorts.models import Cohort, Enrolment, Evaluation, ExerciseAnswer, Session


def expired_cohorts(on: datetime.date) -> QuerySet:
    """The cohorts that ended (concluded or cancelled) longer ago than their period."""
    before = retention.expired_before(on, "cohorts")
    return Cohort.objects.filter(Q(concluded_at__lt=before) | Q(cancelled_at__lt=before))


def purge_cohorts(*, on: datetime.date, keep_enrolments: QuerySet | None = None) -> dict:
    """Delete what expired cohorts hold, except the enrolments in `keep_enrolments` (a
    queryset of enrolment primary keys); return the counts of each kind deleted."""
    expired = expired_cohorts(on)
    sessions = retention.delete_in_batches(Session.objects.filter(cohort__in=expired))
    answers = retention.delete_in_batches(
        ExerciseAnswer.objects.filter(enrolment__cohort__in=expired)
    )
    leaving = Enrolment.objects.filter(cohort__in=expired)
    if keep_enrolments is not None:
        leaving = leaving.exclude(pk__in=keep_enrolments)
    # The requests these enrolments served, unless another enrolment still needs them
    # (an agent who left a cohort and joined a later one for the same request).
    requests = ReviewRequest.objects.filter(Exists(leaving.filter(request=OuterRef("pk")))).exclude(
        Exists(Enrolment.objects.filter(request=OuterRef("pk")).exclude(pk__in=leaving))
    )
    enrolments = leaving.count()
    request_count = retention.delete_in_batches(requests)  # their enrolments cascade
    retention.delete_in_batches(leaving)
    cohorts = retention.delete_in_batches(
        expired.exclude(Exists(Enrolment.objects.filter(cohort=OuterRef("pk"))))
    )
    return {
        "sessions": sessions,
        "answers": answers,
        "enrolments": enrolments,
        "requests": request_count,
        "cohorts": cohorts,
    }


def purge_questionnaires(*, on: datetime.date) -> int:
    """Delete the questionnaires sent longer ago than their period, answered or not."""
    return retention.delete_in_batches(
        Evaluation.objects.filter(sent_at__lt=retention.expired_before(on, "questionnaires"))
    )

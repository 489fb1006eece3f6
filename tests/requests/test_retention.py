"""A closed request and its history are deleted the day after their period ends
(RETENTION_MONTHS["closed_requests"], 24 months by default)."""

import pytest

from bpp.requests.models import RequestTransition, ReviewRequest, Status
from bpp.requests.retention import purge_closed_requests
from tests.clock import paris
from tests.cohorts.factories import EnrolmentFactory
from tests.requests.factories import ReviewRequestFactory

pytestmark = pytest.mark.django_db


def closed(status=Status.REFUSED, *, at, **kwargs) -> ReviewRequest:
    review_request = ReviewRequestFactory(status=status, refusal_reason="Motif.", **kwargs)
    RequestTransition.objects.create(
        request=review_request, from_status="", to_status=Status.PENDING, at=paris(2024, 1, 5)
    )
    RequestTransition.objects.create(
        request=review_request, from_status=Status.PENDING, to_status=status, at=at
    )
    return review_request


def test_a_refused_request_is_kept_through_the_last_day_and_deleted_the_next(settings):
    settings.RETENTION_MONTHS = {**settings.RETENTION_MONTHS, "closed_requests": 24}
    refused = closed(at=paris(2025, 3, 10, 23, 30))

    assert purge_closed_requests(on=paris(2027, 3, 10).date()) == 0
    assert ReviewRequest.objects.filter(pk=refused.pk).exists()

    assert purge_closed_requests(on=paris(2027, 3, 11).date()) == 1
    assert not ReviewRequest.objects.filter(pk=refused.pk).exists()
    assert not RequestTransition.objects.filter(request_id=refused.pk).exists()


def test_at_a_month_end_the_period_ends_on_the_shorter_months_last_day(settings):
    settings.RETENTION_MONTHS = {**settings.RETENTION_MONTHS, "closed_requests": 1}
    withdrawn = closed(Status.WITHDRAWN, at=paris(2027, 1, 31))

    purge_closed_requests(on=paris(2027, 2, 28).date())
    assert ReviewRequest.objects.filter(pk=withdrawn.pk).exists()
    purge_closed_requests(on=paris(2027, 3, 1).date())
    assert not ReviewRequest.objects.filter(pk=withdrawn.pk).exists()


@pytest.mark.parametrize(
    "status", [Status.DECLINED, Status.WITHDRAWN, Status.IMPLICITLY_REJECTED, Status.REFUSED]
)
def test_every_closed_state_is_purged(status):
    closed(status, at=paris(2020, 1, 1))
    assert purge_closed_requests(on=paris(2027, 1, 1).date()) == 1


def test_a_live_request_is_never_purged():
    approved = ReviewRequestFactory(approved=True)
    RequestTransition.objects.create(
        request=approved, from_status="", to_status=Status.APPROVED, at=paris(2020, 1, 1)
    )
    assert purge_closed_requests(on=paris(2030, 1, 1).date()) == 0


def test_a_closed_request_with_an_enrolment_waits_for_its_cohort():
    enrolment = EnrolmentFactory(request__status=Status.WITHDRAWN)
    RequestTransition.objects.create(
        request=enrolment.request,
        from_status=Status.APPROVED,
        to_status=Status.WITHDRAWN,
        at=paris(2020, 1, 1),
    )
    assert purge_closed_requests(on=paris(2030, 1, 1).date()) == 0


def test_a_second_run_finds_nothing():
    closed(at=paris(2020, 1, 1))
    assert purge_closed_requests(on=paris(2027, 1, 1).date()) == 1
    assert purge_closed_requests(on=paris(2027, 1, 1).date()) == 0

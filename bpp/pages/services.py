"""Operations that cross apps, each in one transaction."""

import datetime

from django.db import transaction

from bpp.people.models import User
from bpp.requests.models import ReviewRequest
from cohorts import services as cohort_services
from cohorts.models import Cohort, Enrolment
from synthesis.models import Synthesis


@transaction.atomic
def place_agents(
    *,
    cohort: Cohort,
    review_requests: list[ReviewRequest],
    by: User,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> list[Enrolment]:
    """Seat the agents of approved requests in a cohort and open their syntheses.

    The agent and the leaders can start co-writing from the first day, and no page
    has to create the synthesis when it is first read.
    """
    enrolments = cohort_services.place_agents(
        cohort=cohort, review_requests=review_requests, by=by, reason=reason, now=now
    )
    Synthesis.objects.open_for(enrolments)
    return enrolments


def place_agent(*, review_request: ReviewRequest, cohort: Cohort, by: User, **options) -> Enrolment:
    """Seat one agent (see `place_agents`)."""
    [enrolment] = place_agents(cohort=cohort, review_requests=[review_request], by=by, **options)
    return enrolment

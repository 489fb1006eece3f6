"""Operations that cross apps, each in one transaction."""

import datetime

from django.db import transaction

from bpp.people.models import User
from bpp.requests.models import ReviewRequest
from cohorts import services as cohort_services
from cohorts.models import Cohort, Enrolment
from synthesis.models import Synthesis


@transaction.atomic
def place_agent(
    *,
    review_request: ReviewRequest,
    cohort: Cohort,
    by: User,
    now: datetime.datetime | None = None,
) -> Enrolment:
    """Seat the agent of an approved request in a cohort and open their synthesis.

    The agent and the leaders can start co-writing from the first day, and no page
    has to create the synthesis when it is first read.
    """
    enrolment = cohort_services.place_agent(
        review_request=review_request, cohort=cohort, by=by, now=now
    )
    Synthesis.objects.open_for([enrolment])
    return enrolment

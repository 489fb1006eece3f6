"""
How long a request is kept (RGPD): a closed one and its history go
RETENTION_MONTHS["closed_requests"] months after it closed (see bpp.people.retention).

Closed: declined, refused, withdrawn or implicitly rejected, as recorded (the nightly
job records implicit rejections); it closed at its last transition. A request that
still has an enrolment is kept with its cohort, whose rule deletes both
(cohorts.retention).
"""

import datetime

from django.db.models import Exists, Max, OuterRef
from django.db.models.functions import Coalesce

from bpp.people import retention
from bpp.requests.models import LIVE, ReviewRequest


def expired_closed_requests(on: datetime.date):
    """The closed requests whose retention period is over on `on`."""
    # The enrolments are a higher layer's: reached through the relation, not imported.
    enrolments = ReviewRequest._meta.get_field("enrolments").related_model
    return (
        ReviewRequest.objects.exclude(status__in=LIVE)
        .alias(closed_at=Coalesce(Max("transitions__at"), "created_at"))
        .filter(closed_at__lt=retention.expired_before(on, "closed_requests"))
        .exclude(Exists(enrolments.objects.filter(request=OuterRef("pk"))))
    )


def purge_closed_requests(*, on: datetime.date) -> int:
    """Delete the closed requests whose period is over, with their history."""
    return retention.delete_in_batches(expired_closed_requests(on))

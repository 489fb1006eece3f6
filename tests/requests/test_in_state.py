"""`in_state`: the state filter written on stored columns selects exactly the rows the
`state` annotation would, for every status and every deadline or postponement end
around the day."""

import datetime
import itertools

import pytest

from bpp.requests.models import AWAITING_DECISION, ReviewRequest, Status, in_state_q
from tests.requests.factories import ReviewRequestFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 16)
AROUND = [None, TODAY - datetime.timedelta(days=1), TODAY, TODAY + datetime.timedelta(days=1)]


@pytest.fixture
def every_position():
    """A request for each status × deadline × postponement end the database accepts."""
    for status, deadline, end in itertools.product(Status, AROUND, AROUND):
        if status in AWAITING_DECISION and deadline is None:
            continue  # refused by request_awaiting_has_deadline
        ReviewRequestFactory(
            status=status,
            received_on=TODAY - datetime.timedelta(days=100),
            decision_deadline=deadline,
            refusal_reason="Nécessités du service",
            postponement_reason="Période de clôture budgétaire.",
            postponement_start=end,
            postponement_end=end,
        )


def test_it_selects_what_the_state_annotation_selects_for_every_set_of_states(every_position):
    annotated = ReviewRequest.objects.as_of(TODAY)
    for size in range(len(Status) + 1):
        for states in itertools.combinations(Status, size):
            expected = set(annotated.filter(state__in=states).values_list("pk", flat=True))
            found = set(
                ReviewRequest.objects.in_state(*states, today=TODAY).values_list("pk", flat=True)
            )
            assert found == expected, states


def test_it_needs_no_state_annotation():
    sql = str(ReviewRequest.objects.filter(in_state_q([Status.APPROVED], TODAY)).values("pk").query)
    assert "CASE" not in sql.upper()

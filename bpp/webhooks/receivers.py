"""
The domain signals of the apps below, turned into webhook events.

Each receiver first asks which employers listen (one small query, and usually nothing
more), then reads the ids and states it may tell, set by set.
"""

from collections import defaultdict

from bpp.requests import signals as request_signals
from bpp.requests.models import ReviewRequest, Status
from bpp.webhooks import events
from bpp.webhooks.models import Event
from cohorts import signals as cohort_signals
from cohorts.models import Cohort, Enrolment


def _requests(event: str, request_ids: list[int]):
    listening = events.listening_organisations(event)
    if not listening:
        return ReviewRequest.objects.none()
    return ReviewRequest.objects.filter(pk__in=request_ids, organisation_id__in=listening)


def request_received(sender, *, request_ids: list[int], **kwargs) -> None:
    _each_request(Event.REQUEST_RECEIVED, request_ids)


def request_decided(sender, *, request_ids: list[int], **kwargs) -> None:
    _each_request(Event.REQUEST_DECIDED, request_ids)


def _each_request(event: str, request_ids: list[int]) -> None:
    found = (
        _requests(event, request_ids).order_by("pk").values_list("pk", "organisation_id", "status")
    )
    events.record(
        event,
        [
            (organisation, {"request_id": pk, "organisation_id": organisation, "status": status})
            for pk, organisation, status in found
        ],
    )


def requests_implicitly_rejected(sender, *, request_ids: list[int], **kwargs) -> None:
    """A batch of the nightly job (up to 20,000 requests): a few deliveries per employer."""
    event = Event.REQUESTS_IMPLICITLY_REJECTED
    found = _requests(event, request_ids).order_by("pk").values_list("pk", "organisation_id")
    by_organisation = defaultdict(list)
    for pk, organisation in found:
        by_organisation[organisation].append(pk)
    if by_organisation:
        events.record_set(event, Status.IMPLICITLY_REJECTED, by_organisation)


def agents_placed(sender, *, enrolment_ids: list[int], **kwargs) -> None:
    event = Event.AGENT_PLACED
    listening = events.listening_organisations(event)
    found = (
        Enrolment.objects.filter(pk__in=enrolment_ids, cohort__organisation__in=listening)
        .order_by("pk")
        .values_list("pk", "cohort_id", "request_id", "cohort__organisation_id")
    )
    events.record(
        event,
        [
            (
                organisation,
                {
                    "enrolment_id": pk,
                    "cohort_id": cohort,
                    "request_id": request,
                    "organisation_id": organisation,
                },
            )
            for pk, cohort, request, organisation in (found if listening else [])
        ],
    )


def cohort_concluded(sender, *, cohort_id: int, **kwargs) -> None:
    event = Event.COHORT_CONCLUDED
    listening = events.listening_organisations(event)
    found = Cohort.objects.filter(pk=cohort_id, organisation__in=listening).values_list(
        "organisation_id", flat=True
    )
    events.record(
        event,
        [
            (organisation, {"cohort_id": cohort_id, "organisation_id": organisation})
            for organisation in (found if listening else [])
        ],
    )


def connect() -> None:
    pairs = [
        (request_signals.requests_received, request_received),
        (request_signals.requests_decided, request_decided),
        (request_signals.requests_implicitly_rejected, requests_implicitly_rejected),
        (cohort_signals.agents_placed, agents_placed),
        (cohort_signals.cohort_concluded, cohort_concluded),
    ]
    for signal, receiver in pairs:
        signal.connect(receiver, dispatch_uid=f"webhooks_{receiver.__name__}")

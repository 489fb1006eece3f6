"""
The waiting queue and the rules that bind placement.

"Après avoir obtenu un accord de son autorité hiérarchique, l'agent pourra effectuer un
bilan [...] à la date la plus proche prévue dans l'offre [...] et en fonction des places
disponibles" (guide), and the publics of article L. 422-3 CGFP have priority. So:

- a seat cannot go to an agent who is not a priority public while a priority agent who
  suits that cohort waits;
- an agent goes to the nearest suitable cohort (the earliest start).

The CMC may depart from either rule only with a recorded reason (`Enrolment.placement_reason`),
which the queue's history shows. The rules are written here once: the confirmation page
lists what a placement would skip, and the service refuses it without a reason.
"""

import collections
import dataclasses
import itertools

from django.db.models import BooleanField, Case, F, Q, QuerySet, Value, When

from bpp.requests.models import Mode, ReviewRequest
from bpp.templatetags import french
from cohorts.models import Cohort, Enrolment, waiting_for_a_seat

# A departure from the queue's order is explained in a sentence or more.
REASON_MIN_LENGTH = 20


def suits_q(cohort: Cohort, prefix: str = "") -> Q:
    """The requests whose agent `cohort` suits: its mode matches their wish, and an on-site
    or hybrid cohort meets in their département (when both are known)."""
    mode = Q()
    if cohort.mode == Mode.REMOTE:
        mode = Q(**{f"{prefix}preferred_mode__in": [Mode.ANY, Mode.REMOTE]})
    elif cohort.mode == Mode.ON_SITE:
        mode = Q(**{f"{prefix}preferred_mode__in": [Mode.ANY, Mode.ON_SITE]})
    place = Q()
    if cohort.mode != Mode.REMOTE and cohort.departement:
        place = Q(**{f"{prefix}agent__work_departement__in": ["", cohort.departement]})
    return mode & place


def near_to(departement: str) -> Case:
    """Whether a cohort meets near an agent working in `departement`: in it, or remote
    (an annotation, to list the near ones first)."""
    near = Q(mode=Mode.REMOTE) | Q(departement="")
    if departement:
        near |= Q(departement=departement)
    return Case(When(near, then=Value(True)), default=Value(False), output_field=BooleanField())


def suits(cohort: Cohort, review_request: ReviewRequest) -> bool:
    """The same rule as `suits_q`, for one request already in memory (`cohort` may be
    anything with a cohort's `organisation_id`, `mode` and `departement`)."""
    if review_request.organisation_id != cohort.organisation_id:
        return False
    if cohort.mode == Mode.REMOTE and review_request.preferred_mode == Mode.ON_SITE:
        return False
    if cohort.mode == Mode.ON_SITE and review_request.preferred_mode == Mode.REMOTE:
        return False
    site = review_request.agent.work_departement
    return (
        cohort.mode == Mode.REMOTE
        or not (cohort.departement and site)
        or (cohort.departement == site)
    )


def _open(organisations) -> QuerySet:
    """The cohorts an agent can still join, nearest start first (no date yet: last)."""
    return (
        Cohort.objects.open_for_placement()
        .filter(organisation__in=organisations)
        .with_start()
        .order_by(F("starts_on").asc(nulls_last=True), "pk")
    )


def open_cohorts(organisations) -> list[Cohort]:
    """The cohorts an agent can still join, nearest start first (no date yet: last)."""
    return list(_open(organisations))


def suitable_cohorts(
    review_request: ReviewRequest, cohorts: list[Cohort], *, limit: int | None = None
) -> list[Cohort]:
    """Among `cohorts` (nearest first), those that suit the request's agent (the `limit`
    nearest)."""
    return list(itertools.islice((c for c in cohorts if suits(c, review_request)), limit))


class _Seats(collections.namedtuple("_Seats", "pk organisation_id mode departement starts_on")):
    """What `suits` reads of an open cohort, without building the cohort."""


# The open cohorts a matching reads first, nearest first: most requests find theirs among
# them, and the rest of the employers' hundreds is read only for those that do not.
NEAREST_SEATS = 50


def with_suitable_cohorts(
    requests, organisations, *, limit: int | None = None
) -> list[tuple[ReviewRequest, list[Cohort]]]:
    """Pair each request with the open cohorts that suit it, nearest first (two or three
    queries).

    What suits a request depends only on its employer, its wish and its agent's
    département: requests alike share one pass over the cohorts. The pass reads a few
    columns of the open cohorts, the nearest first; only the cohorts it keeps are then
    loaded whole."""
    requests = list(requests)
    open_seats = _open(organisations).values_list(*_Seats._fields)
    seats = [_Seats(*row) for row in open_seats[:NEAREST_SEATS]]
    found = _match(requests, seats, limit)
    if len(seats) == NEAREST_SEATS and any(limit is None or len(f) < limit for f in found.values()):
        seats = [_Seats(*row) for row in open_seats]
        found = _match(requests, seats, limit)
    pairs = [(r, found[_alike(r)]) for r in requests]
    kept = Cohort.objects.with_start().in_bulk({pk for _, pks in pairs for pk in pks})
    return [(r, [kept[pk] for pk in pks if pk in kept]) for r, pks in pairs]


def _alike(review_request: ReviewRequest) -> tuple:
    return (
        review_request.organisation_id,
        review_request.preferred_mode,
        review_request.agent.work_departement,
    )


def _match(requests, seats: list[_Seats], limit: int | None) -> dict[tuple, list[int]]:
    """The pks of the `limit` first of `seats` that suit each kind of request."""
    found = {}
    for r in requests:
        if _alike(r) not in found:
            found[_alike(r)] = [c.pk for c in suitable_cohorts(r, seats, limit=limit)]
    return found


def starts_before(cohort: Cohort, other: Cohort) -> bool:
    if cohort.starts_on is None:
        return False
    return other.starts_on is None or cohort.starts_on < other.starts_on


@dataclasses.dataclass(frozen=True)
class Departure:
    """One way a placement departs from the queue's order, said to the CMC."""

    review_request: ReviewRequest
    sentence: str


def departures(cohort: Cohort, chosen: list[ReviewRequest]) -> list[Departure]:
    """What placing `chosen` in `cohort` would skip: waiting priority agents who suit the
    cohort (those placed together do not count), and nearer cohorts that suit an agent.

    `cohort` must carry `starts_on` (`with_start()`); `chosen` the `is_priority` annotation.
    """
    found = []
    chosen_ids = [r.pk for r in chosen]
    if any(not r.is_priority for r in chosen):
        priority_waiting = list(
            waiting_for_a_seat(
                ReviewRequest.objects.filter(organisation_id=cohort.organisation_id)
                .filter(suits_q(cohort))
                .exclude(pk__in=chosen_ids)
                .select_related("agent__user")
            ).filter(is_priority=True)[:6]
        )
        if priority_waiting:
            names = ", ".join(str(r.agent) for r in priority_waiting[:5])
            more = " et d’autres" if len(priority_waiting) > 5 else ""
            for review_request in chosen:
                if not review_request.is_priority:
                    found.append(
                        Departure(
                            review_request,
                            f"{review_request.agent} n’est pas un public prioritaire, alors "
                            f"qu’un agent prioritaire à qui cette promotion convient attend "
                            f"une place ({names}{more}).",
                        )
                    )
    nearer = [
        c
        for c in open_cohorts([cohort.organisation_id])
        if c.pk != cohort.pk and starts_before(c, cohort)
    ]
    for review_request in chosen:
        if not suits(cohort, review_request):
            found.append(
                Departure(
                    review_request,
                    f"La promotion ne répond pas au souhait {french.elide('de', review_request.agent)} "
                    f"({review_request.get_preferred_mode_display().lower()}) ou ne se tient "
                    "pas dans son département.",
                )
            )
        first = next((c for c in nearer if suits(c, review_request)), None)
        if first is not None:
            found.append(
                Departure(
                    review_request,
                    f"Pour {review_request.agent}, la promotion « {first} » convient et "
                    f"commence plus tôt, le {french.day(first.starts_on)}.",
                )
            )
    return found


def queue(organisations, *, priority_only: bool = False, mode: str = "", departement: str = ""):
    """The employers' waiting requests in the order seats are given, with filters."""
    waiting = waiting_for_a_seat(
        ReviewRequest.objects.filter(organisation__in=organisations).select_related(
            "agent__user", "agent__service", "restructuring", "organisation"
        )
    )
    if priority_only:
        waiting = waiting.filter(is_priority=True)
    if mode:
        waiting = waiting.filter(preferred_mode=mode)
    if departement:
        waiting = waiting.filter(agent__work_departement=departement)
    return waiting


def ranks(requests) -> dict[int, int]:
    """The place of each waiting request in its employer's queue (1 for the next seat).

    One query reads the employers' waiting requests in the queue's order off the partial
    index `request_waiting_queue`, which holds only the agents still without a seat."""
    requests = list(requests)  # read twice below: a page, a queryset or a generator
    wanted = {r.pk for r in requests}
    if not wanted:
        return {}
    waiting = waiting_for_a_seat(
        ReviewRequest.objects.filter(organisation_id__in={r.organisation_id for r in requests})
    )
    places = collections.Counter()
    found = {}
    for organisation_id, pk in waiting.values_list("organisation_id", "pk"):
        places[organisation_id] += 1
        if pk in wanted:
            found[pk] = places[organisation_id]
    return found


def rank_explanation(review_request: ReviewRequest) -> str:
    """Why the request holds its rank, in words (never the ground of a priority public)."""
    if review_request.restructuring_id is not None:
        public = f"de droit et prioritaire : {review_request.restructuring}"
    elif review_request.is_priority:
        public = "public prioritaire"
    else:
        public = "public non prioritaire"
    decided = french.day(review_request.decided_at)
    if review_request.postponement_end is not None:
        since = (
            f"reportée le {decided} jusqu’au {french.day(review_request.postponement_end)}, "
            "rang à la date du report"
        )
    else:
        since = f"acceptée le {decided}"
    return f"{public} ; {since}"


@dataclasses.dataclass(frozen=True)
class ExpectedStart:
    """What an agent whose request is approved may expect: their rank and the next cohorts
    that suit them (nearest first)."""

    rank: int
    priority: bool
    cohorts: list[Cohort]


def expected_start(review_request: ReviewRequest) -> ExpectedStart | None:
    """For an approved request still without a seat; None otherwise."""
    row = (
        waiting_for_a_seat(ReviewRequest.objects.filter(pk=review_request.pk))
        .select_related("agent")
        .first()
    )
    if row is None:
        return None
    cohorts = suitable_cohorts(row, open_cohorts([row.organisation_id]), limit=3)
    return ExpectedStart(rank=ranks([row])[row.pk], priority=row.is_priority, cohorts=cohorts)


def placements_history(organisations) -> QuerySet:
    """Every placement of the employers, latest first: who placed whom, and any reason."""
    return (
        Enrolment.objects.filter(cohort__organisation__in=organisations)
        .select_related("cohort", "agent__user", "placed_by", "request")
        .order_by("-placed_at", "-pk")
    )

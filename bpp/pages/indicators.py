"""
The indicators of an employer over a period, computed in the database.

The period selects requests by their receipt date, cohorts by their start and
questionnaires by their answer date. Counts below SMALL_COUNT are published as
"fewer than 5", and a share is not published when what it is computed from is
that small: no figure can be traced back to one agent.
"""

import datetime
import statistics
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Min,
    Q,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from bpp.pages import snapshots
from bpp.people.models import Organisation, priority_public_q
from bpp.requests import deadlines
from bpp.requests.models import Origin, RequestTransition, ReviewRequest, Status, in_state_q
from cohorts.figures import Bar, Figure, bars, share
from cohorts.models import SMALL_COUNT, Cohort, Enrolment, Evaluation, Formula, Phase
from synthesis.models import Orientation, Synthesis
from synthesis.models import Status as SynthesisStatus


class Percentile(Aggregate):
    """PostgreSQL's percentile_cont (continuous percentile) over an expression."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=fraction, **extra)


def cells(counts: list[int]) -> list[Figure]:
    """The counts of one breakdown whose total is published: small ones read "fewer than
    5", and when only one is small, the smallest other count is withheld too, so that the
    total minus the others cannot give the small one away."""
    figures = [Figure(n) for n in counts]
    small = [i for i, f in enumerate(figures) if f.is_small]
    others = [i for i, n in enumerate(counts) if n and i not in small]
    if len(small) == 1 and others:
        figures[min(others, key=lambda i: counts[i])] = Figure(None)
    return figures


def _days(delay: datetime.timedelta | None) -> float | None:
    return None if delay is None else delay.total_seconds() / 86400


def _median_and_p90(queryset, expression) -> tuple[float | None, float | None]:
    """The median and the 90th percentile of `expression` (a duration), in days.

    Withheld (None) below SMALL_COUNT values: a delay of one or two people is theirs.
    """
    if connection.vendor == "postgresql":
        found = queryset.aggregate(
            n=Count(expression), median=Percentile(expression, 0.5), p90=Percentile(expression, 0.9)
        )
        if found["n"] < SMALL_COUNT:
            return None, None
        return _days(found["median"]), _days(found["p90"])
    # SQLite (development only) has no percentile function: the delays are read out.
    days = sorted(
        _days(d)
        for d in queryset.annotate(d=expression).values_list("d", flat=True)
        if d is not None
    )
    if len(days) < SMALL_COUNT:
        return None, None
    # The same continuous (linear) interpolation as PostgreSQL's percentile_cont.
    return statistics.median(days), statistics.quantiles(days, n=10, method="inclusive")[-1]


@dataclass
class Indicators:
    organisation: Organisation
    start: datetime.date
    end: datetime.date
    requests: dict[str, Figure]
    decision_delay: tuple[Figure, Figure]  # median, 90th percentile, in days
    postponement_length: Figure  # median, in days from the decision to the end
    start_delay: tuple[Figure, Figure]
    priority_share_requests: Figure
    priority_share_placed: Figure
    cohorts: dict[str, Figure]
    satisfaction: dict[str, Figure]
    score_distribution: list[tuple[int, Figure]]
    # Requests received by origin; syntheses signed in the period by the orientation
    # chosen (4.2), "not given" included: each a breakdown under the small-count rule.
    origins: list[tuple[str, Figure]]
    orientations: list[tuple[str, Figure]]

    def outcome_bars(self) -> list[Bar]:
        labels = {
            "received": "Reçues",
            "approved": "Acceptées",
            "refused": "Refusées",
            "postponed": "Reportées",
            "implicitly_rejected": "Rejetées implicitement",
        }
        return bars([(label, self.requests[key]) for key, label in labels.items()])

    def score_bars(self) -> list[Bar]:
        return bars([(str(score), figure) for score, figure in self.score_distribution])

    def rows(self) -> list[tuple[str, str]]:
        """Every figure as (label, value), for the table and the CSV export."""
        return [(label, str(figure)) for label, figure in self.figures()]

    def figures(self) -> list[tuple[str, Figure]]:
        """Every figure with its label, for the table and the exports."""
        return [
            ("Demandes reçues", self.requests["received"]),
            ("Demandes acceptées", self.requests["approved"]),
            ("Demandes refusées", self.requests["refused"]),
            ("Demandes reportées", self.requests["postponed"]),
            ("Demandes de droit (restructuration)", self.requests["de_droit"]),
            ("Durée médiane d’un report (jours)", self.postponement_length),
            ("Demandes rejetées implicitement", self.requests["implicitly_rejected"]),
            ("Délai médian de la demande à la décision (jours)", self.decision_delay[0]),
            (
                "Délai de la demande à la décision, 9 sur 10 en moins de (jours)",
                self.decision_delay[1],
            ),
            ("Délai médian de la demande au début du bilan (jours)", self.start_delay[0]),
            (
                "Délai de la demande au début du bilan, 9 sur 10 en moins de (jours)",
                self.start_delay[1],
            ),
            (
                "Part des publics prioritaires parmi les demandes (%)",
                self.priority_share_requests,
            ),
            (
                "Part des publics prioritaires parmi les agents placés (%)",
                self.priority_share_placed,
            ),
            ("Promotions démarrées", self.cohorts["run"]),
            ("Taux de remplissage moyen (%)", self.cohorts["fill_rate"]),
            ("Part de la formule individuelle (%)", self.cohorts["individual_share"]),
            ("Questionnaires de satisfaction reçus", self.satisfaction["answers"]),
            ("Note globale moyenne (sur 10)", self.satisfaction["mean"]),
            *((f"Origine des demandes : {label}", f) for label, f in self.origins),
            *(
                (f"Orientation des synthèses signées : {label}", f)
                for label, f in self.orientations
            ),
        ]


def cache_key(organisation_id: int, start: datetime.date, end: datetime.date, today) -> str:
    """The cache key of an employer's indicators over a period, as of `today`."""
    return f"indicators:{organisation_id}:{start.isoformat()}:{end.isoformat()}:{today.isoformat()}"


def cached(
    organisation: Organisation,
    start: datetime.date,
    end: datetime.date,
    *,
    today: datetime.date | None = None,
) -> Indicators:
    """`compute`, once a day per employer and period, kept for the day (bpp.pages.snapshots):
    the page and its CSV read the same figures, and several web servers compute them once."""
    today = today or deadlines.legal_today()
    return snapshots.daily(
        cache_key(organisation.pk, start, end, today),
        today,
        lambda: compute(organisation, start, end, today=today),
    )


def compute(
    organisation: Organisation,
    start: datetime.date,
    end: datetime.date,
    *,
    today: datetime.date | None = None,
) -> Indicators:
    today = today or deadlines.legal_today()
    requests = ReviewRequest.objects.filter(
        organisation=organisation, received_on__gte=start, received_on__lte=end
    )

    counts = requests.aggregate(
        received=Count("pk"),
        implicitly_rejected=Count("pk", filter=in_state_q([Status.IMPLICITLY_REJECTED], today)),
        # Approved at the end of their postponement, before the job recorded it.
        postponement_over=Count(
            "pk", filter=Q(status=Status.POSTPONED) & in_state_q([Status.APPROVED], today)
        ),
        # Agents of a restructuring operation count as a priority public (de droit).
        priority=Count("pk", filter=priority_public_q("agent__") | Q(restructuring__isnull=False)),
        de_droit=Count("pk", filter=Q(restructuring__isnull=False)),
        **{f"origin_{o.value}": Count("pk", filter=Q(origin=o)) for o in Origin},
    )
    # The decisions ever taken (a request approved then withdrawn still counts as approved):
    # one pass over the transitions, not a subquery per request.
    decided = [Status.APPROVED, Status.REFUSED, Status.POSTPONED]
    counts |= dict.fromkeys(decided, 0) | dict(
        RequestTransition.objects.filter(request__in=requests.values("pk"), to_status__in=decided)
        .values_list("to_status")
        .annotate(n=Count("request", distinct=True))
        .order_by()
    )
    counts |= {
        "approved": counts[Status.APPROVED] + counts["postponement_over"],
        "refused": counts[Status.REFUSED],
        "postponed": counts[Status.POSTPONED],
    }
    decided_on = TruncDate("decided_at", tzinfo=timezone.get_current_timezone())
    decision = _median_and_p90(
        requests.filter(decided_at__isnull=False),
        ExpressionWrapper(decided_on - F("received_on"), output_field=DurationField()),
    )
    # From the day a postponement was decided to its end (a later approval keeps it).
    postponement_length = _median_and_p90(
        RequestTransition.objects.filter(
            request__in=requests.values("pk"), to_status=Status.POSTPONED
        ),
        ExpressionWrapper(
            F("request__postponement_end")
            - TruncDate("at", tzinfo=timezone.get_current_timezone()),
            output_field=DurationField(),
        ),
    )[0]
    placed = Enrolment.objects.current().filter(request__in=requests)
    placed_counts = placed.aggregate(
        total=Count("pk"),
        priority=Count(
            "pk", filter=priority_public_q("agent__") | Q(request__restructuring__isnull=False)
        ),
    )
    started = placed.filter(cohort__phases__number=Phase.LAUNCH)
    start_delay = _median_and_p90(
        started,
        ExpressionWrapper(
            F("cohort__phases__starts_on") - F("request__received_on"), output_field=DurationField()
        ),
    )
    cohorts = (
        Cohort.objects.filter(organisation=organisation, started_at__isnull=False)
        .annotate(starts_on=Min("phases__starts_on"))
        .filter(starts_on__gte=start, starts_on__lte=end)
    )
    cohort_counts = cohorts.aggregate(
        run=Count("pk"),
        individual=Count("pk", filter=Q(formula=Formula.INDIVIDUAL)),
        fill=Avg(
            ExpressionWrapper(100.0 * F("seats_taken") / F("capacity"), output_field=FloatField()),
            filter=Q(formula=Formula.COLLECTIVE),
        ),
    )
    # A range of instants, not `answered_at__date`: the index on the answer time serves it.
    answered_from, answered_before = deadlines.legal_day_range(start, end)
    satisfaction = Evaluation.objects.filter(
        enrolment__cohort__organisation=organisation,
        answered_at__gte=answered_from,
        answered_at__lt=answered_before,
    ).satisfaction()
    signed_from, signed_before = deadlines.legal_day_range(start, end)
    chosen = dict(
        Synthesis.objects.filter(
            enrolment__cohort__organisation=organisation,
            status=SynthesisStatus.SIGNED,
            signed_at__gte=signed_from,
            signed_at__lt=signed_before,
        )
        .values_list("orientation")
        .annotate(n=Count("pk"))
        .order_by()
    )
    orientations = [*Orientation.choices, ("", "Non renseignée")]
    return Indicators(
        organisation=organisation,
        start=start,
        end=end,
        requests={
            key: Figure(counts[key])
            for key in (
                "received",
                "approved",
                "refused",
                "postponed",
                "implicitly_rejected",
                "de_droit",
            )
        },
        decision_delay=(Figure(decision[0]), Figure(decision[1])),
        postponement_length=Figure(postponement_length),
        start_delay=(Figure(start_delay[0]), Figure(start_delay[1])),
        priority_share_requests=share(counts["priority"], counts["received"]),
        priority_share_placed=share(placed_counts["priority"], placed_counts["total"]),
        cohorts={
            "run": Figure(cohort_counts["run"]),
            "fill_rate": Figure(
                None if cohort_counts["fill"] is None else round(cohort_counts["fill"], 1)
            ),
            "individual_share": share(cohort_counts["individual"], cohort_counts["run"]),
        },
        satisfaction={
            "answers": Figure(satisfaction.answers),
            "mean": Figure(round(satisfaction.mean, 1) if satisfaction.shown else None),
        },
        score_distribution=[
            (score, Figure(n if satisfaction.shown else None))
            for score, n in satisfaction.distribution
        ],
        origins=list(
            zip(
                Origin.labels,
                cells([counts[f"origin_{o.value}"] for o in Origin]),
                strict=True,
            )
        ),
        orientations=list(
            zip(
                [label for _, label in orientations],
                cells([chosen.get(value, 0) for value, _ in orientations]),
                strict=True,
            )
        ),
    )


# The geometry of a column chart, in SVG user units: values above, labels below.
CHART_WIDTH, PLOT_TOP, PLOT_HEIGHT = 460, 22, 140


@dataclass
class Column:
    label: str
    figure: Figure
    x: float
    y: float
    width: float
    height: float  # 0 when withheld
    in_target: bool


@dataclass
class ColumnChart:
    columns: list[Column]
    target_y: float | None  # a horizontal target line (a value to reach)
    target_x: float | None  # a vertical line where the target zone begins
    target_label: str
    width: int = CHART_WIDTH
    height: int = PLOT_TOP + PLOT_HEIGHT + 24
    baseline: int = PLOT_TOP + PLOT_HEIGHT


def columns(
    items: list[tuple[str, Figure]],
    *,
    top: float | None = None,
    target: float | None = None,
    target_zone: tuple[str, ...] = (),
    target_label: str = "",
) -> ColumnChart:
    """Vertical columns for a chart, on a scale up to `top` (the largest value if None);
    `target` draws a horizontal line at that value, `target_zone` marks the columns so
    labelled as the target. A withheld figure draws no column."""
    shown = [f.value for _, f in items if f.value is not None and not f.is_small]
    top = top or max(shown, default=0) or 1
    step = CHART_WIDTH / len(items)
    drawn = []
    for index, (label, figure) in enumerate(items):
        withheld = figure.value is None or figure.is_small
        height = 0 if withheld else PLOT_HEIGHT * min(figure.value, top) / top
        drawn.append(
            Column(
                label,
                figure,
                x=round(index * step + step * 0.15, 1),
                y=round(PLOT_TOP + PLOT_HEIGHT - height, 1),
                width=round(step * 0.7, 1),
                height=round(height, 1),
                in_target=label in target_zone,
            )
        )
    zone = [c.x for c in drawn if c.in_target]
    return ColumnChart(
        drawn,
        target_y=None
        if target is None
        else round(PLOT_TOP + PLOT_HEIGHT - PLOT_HEIGHT * target / top, 1),
        target_x=round(min(zone) - step * 0.15, 1) if zone else None,
        target_label=target_label,
    )

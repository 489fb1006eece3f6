"""
The endpoints: GET only, each behind one scope, each reading its employer's rows through
`bpp.api.permissions` and a bounded number of queries per page whatever its size.
"""

import datetime

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from ninja import Query, Router, Schema

from bpp.api.auth import BearerToken
from bpp.api.models import Scope
from bpp.api.pagination import paginate
from bpp.api.permissions import cohorts_of, enrolments_of, requests_of, sessions_of
from bpp.api.schemas import (
    ATTENDANCE_COUNTS,
    ERRORS,
    CohortFilters,
    CohortPage,
    EnrolmentFilters,
    EnrolmentPage,
    IndicatorFilters,
    IndicatorsOut,
    RequestFilters,
    RequestPage,
    SessionFilters,
    SessionPage,
    figures_out,
)
from bpp.pages import indicators
from bpp.requests import deadlines
from bpp.requests.models import RequestTransition
from cohorts.models import Enrolment

router = Router()


class UnknownParameters(Exception):
    """A query parameter the endpoint does not know (HTTP 400): a misspelt filter would
    otherwise silently filter nothing."""

    def __init__(self, names: list[str]):
        super().__init__(names)
        self.names = names


def reject_unknown_parameters(request, filters: Schema) -> None:
    unknown = sorted(set(request.GET) - set(type(filters).model_fields))
    if unknown:
        raise UnknownParameters(unknown)


@router.get(
    "/requests",
    response={200: RequestPage, **ERRORS},
    auth=BearerToken(Scope.REQUESTS),
    url_name="requests",
    operation_id="list_requests",
    description="Les demandes de l’employeur : leur état au jour de la lecture, la date limite de réponse, la décision. Filtres : état, année de réception, changement depuis un instant.",
    summary="Demandes de bilan et décisions",
)
def list_requests(request, filters: Query[RequestFilters]):
    """The employer's requests, their state as of today and their decision."""
    reject_unknown_parameters(request, filters)
    last_change = (
        RequestTransition.objects.filter(request=OuterRef("pk")).order_by().values("request")
    )
    rows = (
        requests_of(request.auth)
        .select_related("agent__user")
        .annotate(
            updated_at=Coalesce(
                Subquery(last_change.annotate(at=Max("at")).values("at")), F("created_at")
            )
        )
    )
    if filters.state:
        rows = rows.in_state(filters.state)
    if filters.year:
        rows = rows.filter(
            received_on__gte=datetime.date(filters.year, 1, 1),
            received_on__lte=datetime.date(filters.year, 12, 31),
        )
    if filters.updated_since:
        changed = RequestTransition.objects.filter(
            request=OuterRef("pk"), at__gte=filters.updated_since
        )
        rows = rows.filter(Q(Exists(changed)) | Q(created_at__gte=filters.updated_since))
    items, next_cursor = paginate(rows, cursor=filters.cursor, limit=filters.limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get(
    "/cohorts",
    response={200: CohortPage, **ERRORS},
    auth=BearerToken(Scope.COHORTS),
    url_name="cohorts",
    operation_id="list_cohorts",
    description="Les promotions de l’employeur : dates des quatre phases, phase en cours, places.",
    summary="Promotions",
)
def list_cohorts(request, filters: Query[CohortFilters]):
    """The employer's cohorts: dates, phase, places."""
    reject_unknown_parameters(request, filters)
    rows = cohorts_of(request.auth).prefetch_related("phases")
    if filters.year:
        rows = rows.with_start().filter(
            starts_on__gte=datetime.date(filters.year, 1, 1),
            starts_on__lte=datetime.date(filters.year, 12, 31),
        )
    items, next_cursor = paginate(rows, cursor=filters.cursor, limit=filters.limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get(
    "/enrolments",
    response={200: EnrolmentPage, **ERRORS},
    auth=BearerToken(Scope.COHORTS),
    url_name="enrolments",
    operation_id="list_enrolments",
    description="Les agents placés dans les promotions de l’employeur, y compris ceux qui en sont sortis.",
    summary="Inscriptions dans les promotions",
)
def list_enrolments(request, filters: Query[EnrolmentFilters]):
    """The employer's agents placed in cohorts, those who left included."""
    reject_unknown_parameters(request, filters)
    rows = enrolments_of(request.auth).select_related("agent__user")
    if filters.cohort:
        rows = rows.filter(cohort=filters.cohort)
    items, next_cursor = paginate(rows, cursor=filters.cursor, limit=filters.limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get(
    "/sessions",
    response={200: SessionPage, **ERRORS},
    auth=BearerToken(Scope.COHORTS),
    url_name="sessions",
    operation_id="list_sessions",
    description="Les séances des promotions de l’employeur et le décompte de leur émargement.",
    summary="Séances et émargements",
)
def list_sessions(request, filters: Query[SessionFilters]):
    """The sessions of the employer's cohorts, with the count of each attendance status."""
    reject_unknown_parameters(request, filters)
    participants = (
        Enrolment.sessions.through.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = sessions_of(request.auth).annotate(
        participant_count=Coalesce(Subquery(participants), 0),
        **{
            key: Count("attendances", filter=Q(attendances__status=status))
            for key, status in ATTENDANCE_COUNTS.items()
        },
    )
    if filters.cohort:
        rows = rows.filter(cohort=filters.cohort)
    if filters.year:
        start, end = deadlines.legal_day_range(
            datetime.date(filters.year, 1, 1), datetime.date(filters.year, 12, 31)
        )
        rows = rows.filter(starts_at__gte=start, starts_at__lt=end)
    items, next_cursor = paginate(rows, cursor=filters.cursor, limit=filters.limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get(
    "/indicators",
    response={200: IndicatorsOut, **ERRORS},
    auth=BearerToken(Scope.INDICATORS),
    url_name="indicators",
    operation_id="read_indicators",
    description="Les indicateurs d’une année civile, ceux de la page Indicateurs ; un effectif de moins de 5 n’est pas publié.",
    summary="Indicateurs d’une année",
)
def read_indicators(request, filters: Query[IndicatorFilters]):
    """The figures of the indicators page for a calendar year; small counts withheld."""
    reject_unknown_parameters(request, filters)
    start, end = datetime.date(filters.year, 1, 1), datetime.date(filters.year, 12, 31)
    figures = indicators.cached(request.auth.organisation, start, end)
    return {"year": filters.year, "start": start, "end": end, "figures": figures_out(figures)}

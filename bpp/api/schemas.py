"""
What the API answers, field by field: the OpenAPI schema is generated from these.

Each field is chosen, never a model's every column: nothing of a synthesis, no free text
of a request (needs, reasons), and of the priority only whether there is one.
"""

import datetime

from ninja import Field, Schema
from pydantic import field_validator

from bpp.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from bpp.pages.indicators import Indicators
from bpp.requests.models import DECIDED, Initiative, Mode, Origin, Status
from cohorts.models import Attendance, Formula, Phase, SessionKind

# Years a filter may name: the product did not exist before, and a date must stay a date.
FIRST_YEAR, LAST_YEAR = 2000, 2100


class Error(Schema):
    detail: str = Field(description="Ce qui ne va pas, en français.")


class ParameterError(Schema):
    parameter: str
    type: str = Field(
        description="Le code de l’erreur : missing, less_than_equal, unknown_parameter…"
    )


class InvalidParameters(Error):
    errors: list[ParameterError] = Field(description="Chaque paramètre refusé et pourquoi.")


ERRORS = {400: InvalidParameters, 401: Error, 403: Error}


class Paging(Schema):
    cursor: str | None = Field(
        None, max_length=200, description="Le `next_cursor` de la page précédente."
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Lignes par page.")


class RequestFilters(Paging):
    state: Status | None = Field(None, description="L’état au jour de la lecture.")
    year: int | None = Field(
        None, ge=FIRST_YEAR, le=LAST_YEAR, description="L’année de réception de la demande."
    )
    updated_since: datetime.datetime | None = Field(
        None,
        description="Les demandes dont le statut enregistré a changé depuis cet instant "
        "(un rejet implicite compte dès que la tâche de nuit l’a enregistré). "
        "Date et heure ISO 8601 avec leur décalage : 2026-03-01T00:00:00+01:00.",
    )

    @field_validator("updated_since", mode="before")
    @classmethod
    def iso_8601_with_offset(cls, value):
        # Pydantic would also take a number of seconds, and an instant without its offset
        # is ambiguous: only what RFC 3339 calls a date-time is accepted.
        if value is None:
            return value
        try:
            instant = datetime.datetime.fromisoformat(value)
        except (TypeError, ValueError) as error:
            raise ValueError("date et heure ISO 8601 attendues") from error
        if instant.tzinfo is None:
            raise ValueError("décalage horaire attendu (+01:00, Z)")
        # In UTC: Python takes offsets up to ±23:59, PostgreSQL up to ±15:59.
        try:
            return instant.astimezone(datetime.UTC)
        except OverflowError as error:
            raise ValueError("date et heure hors des limites") from error


class RequestOut(Schema):
    id: int
    agent_id: int = Field(description="Le numéro du profil de l’agent.")
    agent_email: str
    initiative: Initiative
    state: Status = Field(description="L’état au jour de la lecture (heure de Paris).")
    state_label: str
    received_on: datetime.date | None
    decision_deadline: datetime.date | None = Field(
        description="Dernier jour pour décider ; le lendemain, le silence vaut rejet."
    )
    decision: Status | None = Field(
        description="acceptee, reportee, refusee ou rejet_implicite ; null sans décision."
    )
    decided_at: datetime.datetime | None
    postponement_end: datetime.date | None
    is_priority: bool = Field(description="Public prioritaire (le motif n’est jamais donné).")
    created_at: datetime.datetime
    updated_at: datetime.datetime = Field(description="Le dernier changement de statut.")

    @staticmethod
    def resolve_agent_email(review_request) -> str:
        return review_request.agent.user.email

    @staticmethod
    def resolve_state(review_request) -> str:
        return review_request.current_state

    @staticmethod
    def resolve_decision(review_request) -> str | None:
        state = review_request.current_state
        return state if state in DECIDED else None


class RequestPage(Schema):
    items: list[RequestOut]
    next_cursor: str | None = Field(description="La page suivante ; null sur la dernière.")


class CohortFilters(Paging):
    year: int | None = Field(
        None, ge=FIRST_YEAR, le=LAST_YEAR, description="L’année du début de la phase 1."
    )


class PhaseOut(Schema):
    number: Phase
    label: str
    starts_on: datetime.date
    ends_on: datetime.date
    completed_at: datetime.datetime | None

    @staticmethod
    def resolve_label(phase) -> str:
        return phase.get_number_display()


class CohortOut(Schema):
    id: int
    title: str
    formula: Formula
    mode: Mode
    town: str
    departement: str
    capacity: int
    seats_taken: int
    published: bool
    provider_led: bool
    current_phase: Phase | None
    started_at: datetime.datetime | None
    concluded_at: datetime.datetime | None
    cancelled_at: datetime.datetime | None
    phases: list[PhaseOut]

    @staticmethod
    def resolve_provider_led(cohort) -> bool:
        return cohort.is_provider_led

    @staticmethod
    def resolve_phases(cohort) -> list:
        return list(cohort.phases.all())


class CohortPage(Schema):
    items: list[CohortOut]
    next_cursor: str | None


class EnrolmentFilters(Paging):
    cohort: int | None = Field(None, ge=1, le=2**63 - 1, description="Le numéro de la promotion.")


class EnrolmentOut(Schema):
    id: int
    cohort_id: int
    request_id: int
    agent_id: int
    agent_email: str
    placed_at: datetime.datetime
    withdrawn_at: datetime.datetime | None
    contract_signed_at: datetime.datetime | None

    @staticmethod
    def resolve_agent_email(enrolment) -> str:
        return enrolment.agent.user.email


class EnrolmentPage(Schema):
    items: list[EnrolmentOut]
    next_cursor: str | None


class SessionFilters(EnrolmentFilters):
    year: int | None = Field(None, ge=FIRST_YEAR, le=LAST_YEAR, description="L’année de la séance.")


class AttendanceCounts(Schema):
    present: int
    excused: int
    absent: int
    left_early: int
    not_recorded: int = Field(description="Participants dont la présence n’est pas relevée.")


class SessionOut(Schema):
    id: int
    cohort_id: int
    phase: Phase
    kind: SessionKind
    starts_at: datetime.datetime
    duration_minutes: int
    cancelled_at: datetime.datetime | None
    attendance_certified_at: datetime.datetime | None
    participants: int = Field(description="Le nombre de participants convoqués.")
    attendance: AttendanceCounts

    @staticmethod
    def resolve_participants(session) -> int:
        return session.participant_count

    @staticmethod
    def resolve_attendance(session) -> dict:
        counts = {
            "present": session.present,
            "excused": session.excused,
            "absent": session.absent,
            "left_early": session.left_early,
        }
        recorded = sum(counts.values())
        return counts | {"not_recorded": max(session.participant_count - recorded, 0)}


class SessionPage(Schema):
    items: list[SessionOut]
    next_cursor: str | None


# The attendance statuses, as counted in `SessionOut.attendance`.
ATTENDANCE_COUNTS = {
    "present": Attendance.Status.PRESENT,
    "excused": Attendance.Status.EXCUSED,
    "absent": Attendance.Status.ABSENT,
    "left_early": Attendance.Status.LEFT_EARLY,
}


class IndicatorFilters(Schema):
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR, description="L’année civile.")


class FigureOut(Schema):
    key: str
    label: str
    value: float | None = Field(
        description="null quand la donnée est retenue : moins de 5 personnes, ou rien à calculer."
    )
    text: str = Field(description="La valeur telle que la page l’affiche : « moins de 5 », « — ».")


class IndicatorsOut(Schema):
    year: int
    start: datetime.date
    end: datetime.date
    figures: list[FigureOut]


# The key of each of the first `Indicators.figures()`, in their order.
FIGURE_KEYS = (
    "requests_received",
    "requests_approved",
    "requests_refused",
    "requests_postponed",
    "requests_de_droit",
    "postponement_median_days",
    "requests_implicitly_rejected",
    "decision_delay_median_days",
    "decision_delay_p90_days",
    "start_delay_median_days",
    "start_delay_p90_days",
    "priority_share_of_requests",
    "priority_share_of_placed",
    "cohorts_started",
    "fill_rate",
    "individual_formula_share",
    "questionnaires_received",
    "satisfaction_mean",
)


def figures_out(indicators: Indicators) -> list[dict]:
    """The figures of the indicators page, a count below 5 withheld as there; and the
    origins of the requests. Not the orientations of the signed syntheses: the orientation
    is a word of a synthesis (its 4.2), and the API gives none, not even counted."""
    figures = [
        (key, label, figure)
        for key, (label, figure) in zip(
            FIGURE_KEYS, indicators.figures()[: len(FIGURE_KEYS)], strict=True
        )
    ]
    figures += [
        (f"requests_origin_{origin.value}", f"Origine des demandes : {label}", figure)
        for origin, (label, figure) in zip(Origin, indicators.origins, strict=True)
    ]
    return [
        {
            "key": key,
            "label": label,
            "value": None if figure.is_small else figure.value,
            "text": str(figure),
        }
        for key, label, figure in figures
    ]

from cohorts.models.cohorts import (
    COLLECTIVE_MAX,
    COLLECTIVE_MIN,
    Cohort,
    CohortError,
    CohortPhase,
    Enrolment,
    Formula,
    Phase,
    phases_in_order,
    waiting_for_a_seat,
    with_suggestions,
)
from cohorts.models.evaluations import AGREEMENT, SMALL_COUNT, STATEMENTS, Evaluation
from cohorts.models.sessions import Attendance, Session, SessionKind

__all__ = [
    "AGREEMENT",
    "COLLECTIVE_MAX",
    "COLLECTIVE_MIN",
    "SMALL_COUNT",
    "STATEMENTS",
    "Attendance",
    "Cohort",
    "CohortError",
    "CohortPhase",
    "Enrolment",
    "Evaluation",
    "Formula",
    "Phase",
    "Session",
    "SessionKind",
    "phases_in_order",
    "waiting_for_a_seat",
    "with_suggestions",
]

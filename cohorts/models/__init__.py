from cohorts.models.cohorts import (
    COLLECTIVE_MAX,
    COLLECTIVE_MIN,
    Cohort,
    CohortError,
    CohortPhase,
    Enrolment,
    Formula,
    Mode,
    Phase,
    phases_in_order,
    waiting_for_a_seat,
    with_suggestions,
)
from cohorts.models.evaluations import AGREEMENT, MIN_ANSWERS, STATEMENTS, Evaluation
from cohorts.models.sessions import Attendance, Session, SessionKind

__all__ = [
    "AGREEMENT",
    "COLLECTIVE_MAX",
    "COLLECTIVE_MIN",
    "MIN_ANSWERS",
    "STATEMENTS",
    "Attendance",
    "Cohort",
    "CohortError",
    "CohortPhase",
    "Enrolment",
    "Evaluation",
    "Formula",
    "Mode",
    "Phase",
    "Session",
    "SessionKind",
    "phases_in_order",
    "waiting_for_a_seat",
    "with_suggestions",
]

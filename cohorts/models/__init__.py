from cohorts.models.cohorts import (
    COLLECTIVE_MAX,
    COLLECTIVE_MIN,
    Cohort,
    CohortError,
    CohortEvent,
    CohortPhase,
    CohortTransition,
    Enrolment,
    Formula,
    Phase,
    phases_in_order,
    waiting_for_a_seat,
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
    "CohortEvent",
    "CohortPhase",
    "CohortTransition",
    "Enrolment",
    "Evaluation",
    "Formula",
    "Phase",
    "Session",
    "SessionKind",
    "phases_in_order",
    "waiting_for_a_seat",
]

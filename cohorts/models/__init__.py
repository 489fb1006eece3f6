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
)
from cohorts.models.sessions import Attendance, Session, SessionKind

__all__ = [
    "COLLECTIVE_MAX",
    "COLLECTIVE_MIN",
    "Attendance",
    "Cohort",
    "CohortError",
    "CohortPhase",
    "Enrolment",
    "Formula",
    "Mode",
    "Phase",
    "Session",
    "SessionKind",
    "phases_in_order",
    "waiting_for_a_seat",
]

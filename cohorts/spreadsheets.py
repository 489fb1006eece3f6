"""
The rows of the lists HR (and the CMCs) take away as spreadsheets: the queue (CSV and
XLSX from the same rows) and the cohorts with their attendance.

The columns of each list are declared once, with a version. New columns go at the END
of a list, and its version goes up: the spreadsheets HR built on an earlier version keep
reading the same letters. A priority public says « oui », never its ground: the file
leaves the service.
"""

import collections
from collections.abc import Iterator

from django.db.models import Prefetch
from django.utils import timezone

from cohorts import queue
from cohorts.models import Attendance, Cohort, Enrolment, Session

QUEUE_COLUMNS_VERSION = 1
QUEUE_COLUMNS = [  # new columns at the end only (see the module's docstring)
    "Rang",
    "Employeur",
    "Agent",
    "Service",
    "Public prioritaire",
    "De droit (restructuration)",
    "Acceptée (ou reportée) le",
    "Fin du report",
    "Modalité souhaitée",
    "Département",
    "Promotion la plus proche qui convient",
    "Début de cette promotion",
]


def queue_rows(organisations) -> Iterator[list]:
    """The whole queue of `organisations`, in the order seats are given, rank per employer."""
    cohorts = queue.open_cohorts(organisations)
    rank = collections.Counter()
    for r in queue.queue(organisations).iterator(chunk_size=2000):
        rank[r.organisation_id] += 1
        nearest = next(iter(queue.suitable_cohorts(r, cohorts, limit=1)), None)
        yield [
            rank[r.organisation_id],
            r.organisation.name,
            r.agent.user.get_full_name(),
            r.agent.service.name,
            "oui" if r.is_priority else "non",
            str(r.restructuring) if r.restructuring_id else "",
            timezone.localdate(r.decided_at),
            r.postponement_end,
            r.get_preferred_mode_display(),
            r.agent.work_departement,
            nearest.title if nearest else "",
            nearest.starts_on if nearest else None,
        ]


ATTENDANCE_COLUMNS_VERSION = 1
ATTENDANCE_COLUMNS = [  # new columns at the end only (see the module's docstring)
    "Employeur",
    "Promotion",
    "Modalité",
    "Agent",
    "Service",
    "Inscrit le",
    "Retiré le",
    "Séance",
    "Type de séance",
    "Date de la séance",
    "Présence",
]
NOT_RECORDED = "Non relevée"


def attendance_rows(organisations) -> Iterator[list]:
    """One row per participant of each session of the employers' cohorts (cancelled
    sessions left out), its attendance or « Non relevée »; a cohort's enrolled agents
    without any session yet have one row without a session."""
    sessions = Prefetch(
        "sessions",
        Session.objects.filter(cancelled_at__isnull=True).order_by("starts_at", "pk"),
        to_attr="live_sessions",
    )
    attendances = Prefetch("attendances", Attendance.objects.all(), to_attr="all_attendances")
    enrolments = (
        Enrolment.objects.filter(cohort__organisation__in=organisations)
        .select_related("cohort__organisation", "agent__user", "agent__service")
        .prefetch_related(sessions, attendances)
        .order_by("cohort__organisation__name", "cohort__title", "cohort_id", "placed_at", "pk")
    )
    for enrolment in enrolments.iterator(chunk_size=500):
        cohort: Cohort = enrolment.cohort
        head = [
            cohort.organisation.name,
            cohort.title,
            cohort.get_mode_display(),
            enrolment.agent.user.get_full_name(),
            enrolment.agent.service.name,
            timezone.localdate(enrolment.placed_at),
            timezone.localdate(enrolment.withdrawn_at) if enrolment.withdrawn_at else None,
        ]
        status = {a.session_id: a.get_status_display() for a in enrolment.all_attendances}
        if not enrolment.live_sessions:
            yield [*head, "", "", None, ""]
        for session in enrolment.live_sessions:
            yield [
                *head,
                session.title,
                session.get_kind_display(),
                timezone.localtime(session.starts_at),
                status.get(session.pk, NOT_RECORDED),
            ]

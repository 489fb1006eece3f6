"""Printable documents of a cohort (see bpp.printing: nothing fetched, Marianne shared)."""

from django.utils import timezone

from cohorts.models import Session


def attendance_sheet(session: Session) -> bytes:
    """The attendance sheet: for each participant, their presence and how it is known
    (signed by the agent, at what time and how, or recorded by whom), then the leader's
    certification, under the employer's name."""
    # WeasyPrint (20 MB) loads with the first PDF, not in every process that reads the
    # URLs: the tasks worker and the jobs do, to write their e-mails.
    from bpp.printing import render_pdf

    participants = session.participants.select_related("agent__user", "agent__service").order_by(
        "agent__user__last_name", "agent__user__first_name", "pk"
    )
    attendances = {
        a.enrolment_id: a
        for a in session.attendances.select_related("recorded_by", "enrolment__agent")
    }
    return render_pdf(
        "cohorts/pdf/attendance.html",
        {
            "session": session,
            "organisation": session.cohort.organisation,
            "rows": [(e, attendances.get(e.pk)) for e in participants],
            "leaders": session.cohort.leaders.order_by("last_name", "first_name", "pk"),
            "certified_by": session.attendance_certified_by,
            "printed_at": timezone.now(),
        },
    )

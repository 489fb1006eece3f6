"""Printable documents of a cohort (see bpp.printing: nothing fetched, Marianne shared)."""

from bpp.printing import render_pdf
from cohorts.models import Session


def attendance_sheet(session: Session) -> bytes:
    participants = session.participants.select_related("agent__user", "agent__service").order_by(
        "agent__user__last_name", "agent__user__first_name"
    )
    return render_pdf(
        "cohorts/pdf/attendance.html", {"session": session, "participants": participants}
    )

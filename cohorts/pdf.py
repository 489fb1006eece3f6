"""Printable documents of a cohort, rendered by WeasyPrint from autoescaped templates.

Nothing is fetched while rendering: the stylesheet is inline and the URL fetcher
refuses everything but `data:` URLs.
"""

from django.template.loader import render_to_string
from weasyprint import HTML, URLFetcher

from cohorts.models import Session

# Only inline `data:` resources; no network, no files, no redirects.
DATA_ONLY = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def attendance_sheet(session: Session) -> bytes:
    participants = session.participants.select_related("agent__user", "agent__service").order_by(
        "agent__user__last_name", "agent__user__first_name"
    )
    html = render_to_string(
        "cohorts/pdf/attendance.html", {"session": session, "participants": participants}
    )
    return HTML(string=html, url_fetcher=DATA_ONLY).write_pdf()

"""
Sessions of a cohort: the leader schedules, moves, cancels and records attendance;
participants download their calendar. The attendance sheet is a PDF.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cohorts import calendar, pdf
from cohorts.forms import AttendanceForm, SessionForm
from cohorts.models import Attendance, CohortError
from cohorts.permissions import load_cohort, load_own_enrolment, load_session
from cohorts.services import cancel_session, move_session, schedule_session


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = load_cohort(request.user, pk)
    form = SessionForm(request.POST if request.method == "POST" else None, cohort=cohort)
    if form.is_valid():
        data = dict(form.cleaned_data)
        participants = list(data.pop("participants"))
        schedule_session(cohort=cohort, participants=participants, **data)
        messages.success(request, "La séance est programmée ; les participants sont convoqués.")
        return redirect("cohorts:detail", pk)
    return render(request, "cohorts/session_form.html", {"form": form, "cohort": cohort})


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = load_session(request.user, pk)
    form = SessionForm(
        request.POST if request.method == "POST" else None, instance=session, cohort=session.cohort
    )
    if form.is_valid():
        try:
            move_session(
                session=session,
                starts_at=form.cleaned_data["starts_at"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                place=form.cleaned_data["place"],
                video_link=form.cleaned_data["video_link"],
            )
        except CohortError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "La séance est modifiée ; les participants sont prévenus.")
        return redirect("cohorts:detail", session.cohort_id)
    return render(
        request,
        "cohorts/session_form.html",
        {"form": form, "cohort": session.cohort, "session": session},
    )


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = load_session(request.user, pk)
    if request.method == "POST":
        try:
            cancel_session(session=session)
        except CohortError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "La séance est annulée ; les participants sont prévenus.")
        return redirect("cohorts:detail", session.cohort_id)
    return render(request, "cohorts/session_cancel.html", {"session": session})


@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = load_session(request.user, pk)
    recorded = dict(session.attendances.values_list("enrolment_id", "status"))
    form = AttendanceForm(
        request.POST if request.method == "POST" else None, session=session, recorded=recorded
    )
    if form.is_valid():
        for enrolment_id, status in form.statuses().items():
            Attendance.objects.update_or_create(
                session=session, enrolment_id=enrolment_id, defaults={"status": status}
            )
        messages.success(request, "L’émargement est enregistré.")
        return redirect("cohorts:detail", session.cohort_id)
    return render(request, "cohorts/attendance.html", {"session": session, "form": form})


def attendance_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    session = load_session(request.user, pk)
    response = HttpResponse(pdf.attendance_sheet(session), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="emargement-{session.pk}.pdf"'
    return response


def session_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """One session in a calendar file: for its participants and for whoever runs the cohort."""
    session = load_session(request.user, pk, as_participant=True)
    return _ics_response(calendar.calendar_bytes([session]), f"seance-{session.pk}.ics")


def my_calendar(request: HttpRequest) -> HttpResponse:
    """Every session of the agent's cohort, for their calendar application."""
    enrolment = load_own_enrolment(request.user)
    sessions = enrolment.visible_sessions().select_related("cohort")
    return _ics_response(calendar.calendar_bytes(sessions), "mon-bilan-de-parcours.ics")


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

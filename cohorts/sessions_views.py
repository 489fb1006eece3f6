"""
Sessions of a cohort: the leader schedules, moves, cancels and records attendance;
participants download their calendar and sign their presence. The attendance sheet is
a PDF.
"""

import segno
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from cohorts import calendar, pdf
from cohorts.forms import AttendanceForm, InterviewSeriesForm, SessionForm, SignPresenceForm
from cohorts.models import CODE_WINDOW_SECONDS, AlreadySigned, Attendance, CohortError
from cohorts.permissions import (
    load_cohort,
    load_own_enrolment,
    load_own_participation,
    load_session,
    may_certify_attendance,
)
from cohorts.services import (
    cancel_session,
    certify_attendance,
    move_session,
    record_attendance,
    schedule_interviews,
    schedule_session,
    sign_presence,
)


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
def create_interviews(request: HttpRequest, pk: int) -> HttpResponse:
    """A series of individual interviews, one per agent ticked, one after the other."""
    cohort = load_cohort(request.user, pk)
    form = InterviewSeriesForm(request.POST if request.method == "POST" else None, cohort=cohort)
    if form.is_valid():
        slots = form.slots()
        schedule_interviews(cohort=cohort, slots=slots, **form.session_fields())
        count = len(slots)
        messages.success(
            request,
            f"{count} entretien{'s' if count > 1 else ''} programmé{'s' if count > 1 else ''} ; "
            f"chaque agent est convoqué au sien.",
        )
        return redirect("cohorts:detail", pk)
    return render(request, "cohorts/interviews_form.html", {"form": form, "cohort": cohort})


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
    """The attendance grid: who signed, and the leader's record of the others."""
    session = load_session(request.user, pk)
    attendances = {
        a.enrolment_id: a
        for a in session.attendances.select_related("recorded_by", "enrolment__agent")
    }
    form = AttendanceForm(
        request.POST if request.method == "POST" else None,
        session=session,
        attendances=attendances,
    )
    if form.is_valid():
        all_present = AttendanceForm.ALL_PRESENT in request.POST
        try:
            changed = record_attendance(
                session=session,
                statuses=form.statuses(all_present=all_present),
                by=request.user,
            )
        except CohortError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                "Tous les agents non relevés sont notés présents."
                if all_present
                else f"L’émargement est enregistré ({changed} changement{'s' if changed > 1 else ''}).",
            )
        return redirect("cohorts:attendance", pk)
    return render(
        request,
        "cohorts/attendance.html",
        {
            "session": session,
            "form": form,
            "rows": form.rows(),
            "statuses": Attendance.Status,
            "may_certify": may_certify_attendance(request.user, session),
        },
    )


def attendance_code(request: HttpRequest, pk: int) -> HttpResponse:
    """The code the leader shows in the room, and its QR code; the page refreshes it."""
    session = load_session(request.user, pk)
    now = timezone.now()
    context = {"session": session, "signing_open": session.is_signing_open(now)}
    if context["signing_open"]:
        code = session.attendance_code(now)
        sign_url = request.build_absolute_uri(
            reverse("cohorts:sign_presence", args=[pk]) + "?" + urlencode({"code": code})
        )
        context |= {
            "code": code,
            "seconds_left": session.code_seconds_left(now),
            "window_seconds": CODE_WINDOW_SECONDS,
            "qr_svg": segno.make(sign_url, error="m").svg_inline(
                scale=1, border=2, omitsize=True, dark="#000", light="#fff"
            ),
        }
    template = "cohorts/attendance_code.html"
    if request.GET.get("fragment") == "code":
        template += "#code"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def certify(request: HttpRequest, pk: int) -> HttpResponse:
    """The leader certifies the attendance sheet (a confirmation page first)."""
    session = load_session(request.user, pk, to_certify=True)
    if request.method == "POST":
        try:
            certify_attendance(session=session, by=request.user)
        except CohortError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "L’émargement est certifié ; la feuille ne change plus.")
        return redirect("cohorts:attendance", pk)
    counts = dict.fromkeys(Attendance.Status, 0)
    for status in session.attendances.values_list("status", flat=True):
        counts[Attendance.Status(status)] += 1
    return render(
        request,
        "cohorts/attendance_certify.html",
        {
            "session": session,
            "counts": [(status.label, count) for status, count in counts.items()],
            "missing": session.participants.exclude(attendances__session=session).count(),
        },
    )


@require_http_methods(["GET", "POST"])
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    """The agent signs their own presence: the code shown in the room (the QR code brings
    it in the address), or for a session with a video link, a confirmation."""
    session, enrolment = load_own_participation(request.user, pk)
    remote = request.method == "POST" and "distance" in request.POST
    if request.method == "POST":
        form = SignPresenceForm(None if remote else request.POST)
    else:
        form = SignPresenceForm(initial={"code": request.GET.get("code", "")[:20]})
    if remote or form.is_valid():
        try:
            sign_presence(
                session=session,
                enrolment=enrolment,
                method=Attendance.Method.REMOTE if remote else Attendance.Method.CODE,
                code="" if remote else form.cleaned_data["code"],
            )
        except AlreadySigned as done:
            messages.info(request, str(done))
        except CohortError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Votre présence est signée. Bonne séance !")
        return redirect("cohorts:sign_presence", pk)
    attendance = session.attendances.filter(enrolment=enrolment).first()
    return render(
        request,
        "cohorts/sign.html",
        {
            "session": session,
            "form": form,
            "attendance": attendance,
            "refusal": session.signing_refusal(timezone.now()),
        },
    )


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

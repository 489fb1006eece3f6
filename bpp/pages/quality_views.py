"""The accompaniment index of an employer's year, its yearly forms and its reports."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header

from bpp.pages import reports
from bpp.pages.forms import CriteriaAssessmentForm, QualityDeclarationForm
from bpp.pages.models import CriterionAssessment, QualityDeclaration
from bpp.pages.permissions import (
    load_indicator_organisation,
    may_declare_quality,
    may_read_indicators,
)
from bpp.pages.quality import FIRST_YEAR, QualityIndex, quality_index
from bpp.people.models import Organisation
from bpp.people.permissions import user_passes
from bpp.requests import deadlines
from synthesis.models import FOLLOW_UP_MONTHS, FollowUp, Outcomes


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= deadlines.legal_today().year:
        raise Http404("L’index n’existe pas pour cette année.")
    return year


def _index(organisation: Organisation, year: int) -> QualityIndex:
    return quality_index(organisation, year, today=deadlines.legal_today())


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response


def _follow_up_outcomes(organisation: Organisation, year: int) -> list[tuple[int, Outcomes]]:
    """What the agents' follow-ups answered in `year` say, at 3 and at 6 months: read
    fresh (a few rows), counts only, each published from SMALL_COUNT answers."""
    answered = FollowUp.objects.filter(
        synthesis__enrolment__cohort__organisation=organisation, answered_at__year=year
    )
    return [(months, answered.filter(months=months).outcomes()) for months in FOLLOW_UP_MONTHS]


def _filename(prefix: str, organisation: Organisation, year: int, extension: str) -> str:
    return f"{prefix}-{organisation.pk}-{year}.{extension}"


@user_passes(may_read_indicators)
def index(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    organisation = load_indicator_organisation(request.user, pk)
    year = _year(year)
    found = _index(organisation, year)
    return render(
        request,
        "portals/quality.html",
        {
            "organisation": organisation,
            "year": year,
            "index": found,
            "figures": found.figures,
            "previous_year": year - 1 if year > FIRST_YEAR else None,
            "next_year": year + 1 if year < deadlines.legal_today().year else None,
            "may_declare": may_declare_quality(request.user, organisation),
            "follow_ups": _follow_up_outcomes(organisation, year),
        },
    )


@user_passes(may_read_indicators)
def declaration(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    organisation = load_indicator_organisation(request.user, pk, to_declare=True)
    year = _year(year)
    existing = QualityDeclaration.objects.filter(organisation=organisation, year=year).first()
    instance = existing or QualityDeclaration(organisation=organisation, year=year)
    form = QualityDeclarationForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        answered = form.save(commit=False)
        answered.answered_by = request.user
        answered.answered_at = timezone.now()
        answered.save()
        messages.success(request, f"Les réponses de {year} sont enregistrées.")
        return redirect("portals:quality_index", pk=organisation.pk, year=year)
    return render(
        request,
        "portals/quality_declaration.html",
        {"organisation": organisation, "year": year, "form": form, "existing": existing},
    )


@user_passes(may_read_indicators)
def assessment(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    organisation = load_indicator_organisation(request.user, pk, to_declare=True)
    year = _year(year)
    found = _index(organisation, year)
    form = CriteriaAssessmentForm(
        request.POST or None, initial=CriteriaAssessmentForm.initial_from(found.assessments)
    )
    if request.method == "POST" and form.is_valid():
        CriterionAssessment.record_year(
            organisation=organisation,
            year=year,
            answers=form.answers(),
            by=request.user,
            now=timezone.now(),
        )
        messages.success(request, f"L’autoévaluation de {year} est enregistrée.")
        return redirect("portals:quality_index", pk=organisation.pk, year=year)
    return render(
        request,
        "portals/quality_assessment.html",
        {
            "organisation": organisation,
            "year": year,
            "form": form,
            "criteria": [(item, *form.fields_of(item.criterion.value)) for item in found.criteria],
        },
    )


@user_passes(may_read_indicators)
def csa_pdf(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    organisation = load_indicator_organisation(request.user, pk)
    found = _index(organisation, _year(year))
    return _attachment(
        reports.csa_report_pdf(found, made_on=deadlines.legal_today()),
        "application/pdf",
        _filename("rapport-csa", organisation, year, "pdf"),
    )


@user_passes(may_read_indicators)
def csa_xlsx(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    organisation = load_indicator_organisation(request.user, pk)
    found = _index(organisation, _year(year))
    return _attachment(
        reports.csa_report_xlsx(found),
        reports.XLSX,
        _filename("rapport-csa", organisation, year, "xlsx"),
    )


@user_passes(may_read_indicators)
def social_database(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    organisation = load_indicator_organisation(request.user, pk)
    found = _index(organisation, _year(year))
    return _attachment(
        reports.social_database_csv(found),
        "text/csv; charset=utf-8",
        _filename("base-donnees-sociales", organisation, year, "csv"),
    )

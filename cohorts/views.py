"""
The offer and the cohorts: HR and CMCs publish cohorts and place waiting agents;
leaders run the phases; agents read the offer and may leave their cohort.
"""

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Q
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST

from bpp.forms import SearchForm
from bpp.people.permissions import user_passes
from bpp.requests.forms import OptionalReasonForm
from bpp.spreadsheets import xlsx_response
from bpp.tabs import Tab, tabbed
from cohorts import contract, spreadsheets
from cohorts import queue as waiting_queue
from cohorts.forms import (
    CohortForm,
    ConfidentialityForm,
    QueueFilterForm,
    ReasonForm,
    SignContractForm,
)
from cohorts.models import Cohort, CohortError, Phase
from cohorts.permissions import (
    Purpose,
    cohorts_for,
    is_leader,
    load_cohort,
    load_own_enrolment,
    may_manage_cohorts,
    may_override_minimum,
    may_read_offer,
    may_see_cohorts,
    offer_organisations,
    organisations_running_cohorts,
)
from cohorts.services import advance_cohort, set_leaders, withdraw_agent

PAGE_SIZE = 25


@user_passes(may_read_offer)
def offer(request: HttpRequest) -> HttpResponse:
    """The cohorts an agent can still join, of the agent's employer (or of the employers
    one manages), those near the agent first: their département, or remote."""
    organisations = offer_organisations(request.user)
    profile = getattr(request.user, "agent_profile", None)
    cohorts = (
        Cohort.objects.open_for_placement()
        .filter(organisation__in=organisations)
        .select_related("provider")
        .prefetch_related("leaders")
        .with_start()
        .annotate(near=waiting_queue.near_to(profile.work_departement if profile else ""))
        .order_by("-near", F("starts_on").asc(nulls_last=True), "pk")
    )
    page = Paginator(cohorts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cohorts/offer.html", {"page_obj": page})


_LIVE = Q(concluded_at__isnull=True, cancelled_at__isnull=True)
# The cohorts by where they stand: not started, in one of the four phases, over, cancelled.
STAGE_TABS = (
    Tab("a-venir", "À venir", _LIVE & Q(current_phase__isnull=True), ("starts_on", "pk")),
    *(
        Tab(
            f"phase-{phase.value}",
            f"{phase.value}. {phase.label}",
            _LIVE & Q(current_phase=phase),
            ("starts_on", "pk"),
        )
        for phase in Phase
    ),
    Tab("terminees", "Terminées", Q(concluded_at__isnull=False), ("-concluded_at", "pk")),
    Tab(
        "annulees",
        "Annulées",
        Q(cancelled_at__isnull=False, concluded_at__isnull=True),
        ("-cancelled_at", "pk"),
    ),
)


@user_passes(may_see_cohorts)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The cohorts a CMC, HR or a provider's consultant works on, by phase; a search on
    their title."""
    search = SearchForm(request.GET)
    cohorts = cohorts_for(request.user)
    if search.query:
        cohorts = cohorts.filter(title__icontains=search.query)
    context = tabbed(
        request,
        cohorts,
        STAGE_TABS,
        page_size=PAGE_SIZE,
        shown=lambda rows: rows.select_related("organisation", "provider").with_start(),
    )
    return render(
        request,
        "cohorts/dashboard.html",
        {
            **context,
            "search": search,
            "query": search.query,
            "may_create": may_manage_cohorts(request.user),
        },
    )


@user_passes(may_manage_cohorts)
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    cohort = load_cohort(request.user, pk, Purpose.MANAGE) if pk is not None else None
    organisations = organisations_running_cohorts(request.user)
    form = CohortForm(
        request.POST if request.method == "POST" else None,
        instance=cohort,
        organisations=organisations,
    )
    if form.is_valid():
        with transaction.atomic():
            # The leaders are set by the service, which records the change: not by save_m2m.
            saved = form.save(commit=False)
            saved.save()
            form.save_phases(saved)
            set_leaders(cohort=saved, leaders=form.cleaned_data["leaders"], by=request.user)
        messages.success(request, f"La promotion « {saved} » est enregistrée.")
        return redirect("cohorts:detail", saved.pk)
    return render(request, "cohorts/edit.html", {"form": form, "cohort": cohort})


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = load_cohort(request.user, pk)
    enrolments = (
        cohort.enrolments.current()
        .select_related("agent__user", "agent__service")
        .order_by("agent__user__last_name", "pk")
    )
    return render(
        request,
        "cohorts/detail.html",
        {
            "cohort": cohort,
            "phases": cohort.phases.all(),
            "enrolments": enrolments,
            "leaders": cohort.leaders.prefetch_related("trainings"),
            "transitions": cohort.transitions.select_related("by", "leader"),
            "may_manage": may_manage_cohorts(request.user, cohort.organisation),
            "may_override": may_override_minimum(request.user, cohort),
            "is_leader": is_leader(request.user, cohort),
            "override_form": ReasonForm(prefix="derogation"),
            "confidentiality_form": ConfidentialityForm(instance=cohort),
            "sessions": cohort.sessions.prefetch_related("participants__agent__user"),
            "signed_count": sum(1 for e in enrolments if e.contract_signed_at),
        },
    )


@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the cohort, or move it to its next phase (after a confirmation page)."""
    cohort = load_cohort(request.user, pk)
    if request.method == "GET":
        return render(request, "cohorts/progress.html", {"cohort": cohort})
    try:
        if cohort.current_phase is None:
            cohort.start(by=request.user)
            messages.success(request, "La promotion a démarré : phase 1, Lancement.")
        else:
            advance_cohort(cohort=cohort, by=request.user)
            messages.success(request, "La phase est close ; la suivante commence.")
    except CohortError as error:
        messages.error(request, str(error))
    return redirect("cohorts:detail", pk)


@require_POST
def allow_small_start(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = load_cohort(request.user, pk, Purpose.OVERRIDE)
    form = ReasonForm(request.POST, prefix="derogation")
    if form.is_valid():
        cohort.allow_small_start(by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, "Le démarrage à moins de 6 agents est autorisé.")
    else:
        messages.error(request, "Motivez le démarrage avec moins de 6 agents.")
    return redirect("cohorts:detail", pk)


@user_passes(may_manage_cohorts)
def queue(request: HttpRequest) -> HttpResponse:
    """Approved requests waiting for a seat, in the order seats are given: each with its rank,
    why, and the cohorts that suit it, nearest first."""
    organisations = organisations_running_cohorts(request.user)
    filters = QueueFilterForm(request.GET)
    waiting = waiting_queue.queue(organisations, **filters.filters())
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    ranks = waiting_queue.ranks(page)
    rows = [
        (r, ranks[r.pk], waiting_queue.rank_explanation(r), cohorts)
        for r, cohorts in waiting_queue.with_suitable_cohorts(page, organisations, limit=3)
    ]
    return render(
        request,
        "cohorts/queue.html",
        {"page_obj": page, "rows": rows, "filters": filters, "query": request.GET.urlencode()},
    )


@user_passes(may_manage_cohorts)
def queue_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The whole queue as a spreadsheet for HR, streamed (it may hold thousands of rows)."""
    organisations = organisations_running_cohorts(request.user)

    def lines():
        yield "\ufeff"  # Excel reads UTF-8 only with its byte order mark
        writer = csv.writer(_Echo(), delimiter=";")
        yield writer.writerow(spreadsheets.QUEUE_COLUMNS)
        for row in spreadsheets.queue_rows(organisations):
            yield writer.writerow(row)  # a date as ISO 8601, None as nothing

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"file-d-attente-{timezone.localdate():%Y%m%d}.csv"
    )
    return response


@user_passes(may_manage_cohorts)
def queue_xlsx(request: HttpRequest) -> FileResponse:
    """The same queue as an XLSX workbook."""
    return xlsx_response(
        filename=f"file-d-attente-{timezone.localdate():%Y%m%d}.xlsx",
        title="File d’attente",
        columns=spreadsheets.QUEUE_COLUMNS,
        version=spreadsheets.QUEUE_COLUMNS_VERSION,
        rows=spreadsheets.queue_rows(organisations_running_cohorts(request.user)),
    )


@user_passes(may_manage_cohorts)
def attendance_xlsx(request: HttpRequest) -> FileResponse:
    """The employers' cohorts, each participant and their attendance at each session."""
    return xlsx_response(
        filename=f"promotions-emargements-{timezone.localdate():%Y%m%d}.xlsx",
        title="Promotions et émargements",
        columns=spreadsheets.ATTENDANCE_COLUMNS,
        version=spreadsheets.ATTENDANCE_COLUMNS_VERSION,
        rows=spreadsheets.attendance_rows(organisations_running_cohorts(request.user)),
    )


class _Echo:
    """A file whose write returns the line, for csv.writer in a streamed response."""

    def write(self, value: str) -> str:
        return value


@user_passes(may_manage_cohorts)
def queue_history(request: HttpRequest) -> HttpResponse:
    """Every placement, latest first, with the reason of any departure from the queue."""
    organisations = organisations_running_cohorts(request.user)
    placements = waiting_queue.placements_history(organisations)
    if request.GET.get("derogations"):
        placements = placements.exclude(placement_reason="")
    page = Paginator(placements, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cohorts/queue_history.html",
        {"page_obj": page, "departures_only": bool(request.GET.get("derogations"))},
    )


@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    """The agent leaves their cohort (confirmation first); the seat is freed."""
    enrolment = load_own_enrolment(request.user, pk)
    form = OptionalReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            withdraw_agent(enrolment=enrolment, reason=form.cleaned_data["reason"])
        except CohortError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Vous avez quitté la promotion ; votre place est libérée.")
        return redirect("portals:agent")
    return render(request, "cohorts/leave.html", {"enrolment": enrolment, "form": form})


@require_http_methods(["GET", "POST"])
def sign_contract(request: HttpRequest, pk: int) -> HttpResponse:
    """Phase 1: the agent reads and signs the commitment and confidentiality contract."""
    enrolment = load_own_enrolment(request.user, pk)
    form = SignContractForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            enrolment.sign_contract(version=contract.VERSION)
        except CohortError as error:
            messages.info(request, str(error))
        else:
            messages.success(
                request, "Vous avez signé le contrat d’engagement et de confidentialité."
            )
        return redirect("portals:agent")
    return render(
        request,
        "cohorts/contract.html",
        {"enrolment": enrolment, "form": form, "contract": contract},
    )


@require_POST
def confidentiality(request: HttpRequest, pk: int) -> HttpResponse:
    """The leader records what the group holds confidential."""
    cohort = load_cohort(request.user, pk)
    form = ConfidentialityForm(request.POST, instance=cohort)
    if form.is_valid():
        form.save()
        messages.success(
            request, "La liste de ce que le groupe tient pour confidentiel est enregistrée."
        )
    return redirect("cohorts:detail", pk)

"""
The offer and the cohorts: HR and CMCs publish cohorts and place waiting agents;
leaders run the phases; agents read the offer and may leave their cohort.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from bpp.people.models import Role
from bpp.people.permissions import has_role
from bpp.requests.models import ReviewRequest
from cohorts import contract
from cohorts.forms import (
    CohortForm,
    ConfidentialityForm,
    OptionalReasonForm,
    ReasonForm,
    SignContractForm,
)
from cohorts.models import Cohort, CohortError, Enrolment, waiting_for_a_seat, with_suggestions
from cohorts.permissions import may_manage_cohorts, organisations_running_cohorts
from cohorts.services import advance_cohort, place_agent, set_leaders, withdraw_agent

PAGE_SIZE = 25


def _cohorts_for(user):
    """The cohorts a user may open: their employers' offer (staff), or those they lead."""
    return Cohort.objects.filter(
        Q(organisation__in=organisations_running_cohorts(user))
        | Q(pk__in=Cohort.objects.led_by(user))
    )


def _managed(request: HttpRequest, pk: int) -> Cohort:
    return get_object_or_404(
        _cohorts_for(request.user).select_related("organisation", "provider").with_start(), pk=pk
    )


def offer(request: HttpRequest) -> HttpResponse:
    """The published cohorts of the agent's employer (or of the employers one manages)."""
    organisations = organisations_running_cohorts(request.user) or request.user.organisations_for(
        Role.AGENT
    )
    if not organisations:
        raise PermissionDenied
    cohorts = (
        Cohort.objects.published()
        .filter(organisation__in=organisations)
        .select_related("provider")
        .prefetch_related("leaders")
        .with_start()
        .order_by("starts_on", "pk")
    )
    page = Paginator(cohorts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cohorts/offer.html", {"page_obj": page})


def dashboard(request: HttpRequest) -> HttpResponse:
    """The cohorts a CMC, HR or a provider's consultant works on."""
    if not (may_manage_cohorts(request.user) or has_role(request.user, Role.PROVIDER)):
        raise PermissionDenied
    cohorts = (
        _cohorts_for(request.user)
        .select_related("organisation", "provider")
        .with_start()
        .order_by("concluded_at", "starts_on", "pk")
    )
    page = Paginator(cohorts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cohorts/dashboard.html",
        {"page_obj": page, "may_create": may_manage_cohorts(request.user)},
    )


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    organisations = organisations_running_cohorts(request.user)
    if not organisations:
        raise PermissionDenied
    cohort = None
    if pk is not None:
        cohort = get_object_or_404(Cohort.objects.filter(organisation__in=organisations), pk=pk)
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
    cohort = _managed(request, pk)
    enrolments = (
        cohort.enrolments.filter(withdrawn_at__isnull=True)
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
            "leaders": cohort.leaders.all(),
            "transitions": cohort.transitions.select_related("by", "leader"),
            "may_manage": may_manage_cohorts(request.user, cohort.organisation),
            "may_override": has_role(request.user, Role.HR_ADMIN, cohort.organisation),
            "is_leader": Cohort.objects.led_by(request.user).filter(pk=cohort.pk).exists(),
            "override_form": ReasonForm(prefix="derogation"),
            "confidentiality_form": ConfidentialityForm(instance=cohort),
            "sessions": cohort.sessions.prefetch_related("participants__agent__user"),
            "signed_count": sum(1 for e in enrolments if e.contract_signed_at),
        },
    )


@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the cohort, or move it to its next phase (after a confirmation page)."""
    cohort = _managed(request, pk)
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
    cohort = _managed(request, pk)
    if not has_role(request.user, Role.HR_ADMIN, cohort.organisation):
        raise PermissionDenied
    form = ReasonForm(request.POST, prefix="derogation")
    if form.is_valid():
        cohort.allow_small_start(by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, "Le démarrage à moins de 6 agents est autorisé.")
    else:
        messages.error(request, "Motivez le démarrage avec moins de 6 agents.")
    return redirect("cohorts:detail", pk)


def queue(request: HttpRequest) -> HttpResponse:
    """Approved requests waiting for a seat, priority publics first, each with a suggestion."""
    organisations = organisations_running_cohorts(request.user)
    if not organisations:
        raise PermissionDenied
    waiting = waiting_for_a_seat(
        ReviewRequest.objects.filter(organisation__in=organisations).select_related(
            "agent__user", "agent__service"
        )
    )
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = with_suggestions(page, organisations)
    return render(
        request,
        "cohorts/queue.html",
        {"page_obj": page, "rows": rows},
    )


@require_POST
def place(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    cohort = get_object_or_404(
        Cohort.objects.filter(organisation__in=organisations_running_cohorts(request.user)), pk=pk
    )
    review_request = get_object_or_404(
        ReviewRequest.objects.filter(organisation=cohort.organisation), pk=request_pk
    )
    try:
        place_agent(review_request=review_request, cohort=cohort, by=request.user)
    except CohortError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{review_request.agent} est inscrit dans « {cohort} ».")
    return redirect("cohorts:queue")


@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    """The agent leaves their cohort (confirmation first); the seat is freed."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("cohort").filter(
            agent__user=request.user, withdrawn_at__isnull=True
        ),
        pk=pk,
    )
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
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("cohort").filter(
            agent__user=request.user, withdrawn_at__isnull=True
        ),
        pk=pk,
    )
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
    cohort = _managed(request, pk)
    form = ConfidentialityForm(request.POST, instance=cohort)
    if form.is_valid():
        form.save()
        messages.success(
            request, "La liste de ce que le groupe tient pour confidentiel est enregistrée."
        )
    return redirect("cohorts:detail", pk)

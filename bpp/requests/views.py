"""
The request pages: the agent asks, withdraws or answers a proposal; the manager or
HR decides; HR agrees (or not) to a postponement.

Every page loads its request through `load_request` (see `bpp.requests.permissions`).
"""

import datetime

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from bpp.forms import SearchForm
from bpp.people.models import Role
from bpp.people.permissions import role_required, user_passes
from bpp.requests import deadlines, services
from bpp.requests.forms import (
    DecisionForm,
    DisabilityOfficerForm,
    OptionalReasonForm,
    PostponementAnswerForm,
    ProposalForm,
    RequestForm,
)
from bpp.requests.models import (
    AWAITING_DECISION,
    DECIDED,
    LIVE,
    RequestError,
    ReviewRequest,
    in_state_q,
)
from bpp.requests.permissions import (
    Purpose,
    load_agent_for_proposal,
    load_request,
    may_answer_postponement,
    may_decide,
    may_see_requests_to_decide,
)
from bpp.tabs import Tab, tabbed
from bpp.templatetags import french

PAGE_SIZE = 25


@role_required(Role.AGENT)
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    agent = request.user.agent_profile
    live = ReviewRequest.objects.filter(agent=agent).in_state(*LIVE).first()
    if live is not None:
        messages.info(request, "Vous avez déjà une demande de bilan en cours.")
        return redirect("requests:detail", live.pk)
    form = RequestForm(request.POST if request.method == "POST" else None, agent=agent)
    if form.is_valid():
        try:
            review_request = services.submit_request(agent=agent, **form.cleaned_data)
        except RequestError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                "Votre demande est envoyée. Réponse attendue au plus tard le "
                f"{french.day(review_request.decision_deadline)}.",
            )
            return redirect("requests:detail", review_request.pk)
    today = deadlines.legal_today()
    return render(
        request,
        "requests/new.html",
        {"form": form, "deadline_if_sent_today": deadlines.decision_deadline(today)},
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    review_request = load_request(request.user, pk)
    transitions = review_request.transitions.select_related("by")
    return render(
        request,
        "requests/detail.html",
        {
            "review_request": review_request,
            "transitions": transitions,
            "is_own": review_request.agent.user_id == request.user.pk,
            "may_decide": may_decide(request.user, review_request),
            "may_answer_postponement": may_answer_postponement(request.user, review_request),
            "remedies": deadlines.REMEDIES,
            "today": deadlines.legal_today(),
        },
    )


@require_http_methods(["GET", "POST"])
def answer_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    review_request = load_request(request.user, pk, Purpose.OWN)
    if not review_request.can_answer_proposal:
        messages.info(request, "Cette proposition n’attend plus de réponse.")
        return redirect("requests:detail", pk)
    agent = review_request.agent
    accepting = request.POST.get("action") != "decliner"
    form = RequestForm(request.POST if accepting else None, agent=agent, proposal=True)
    decline_form = OptionalReasonForm(None if accepting else request.POST, prefix="declin")
    try:
        if request.method == "POST" and accepting and form.is_valid():
            services.accept_proposal(review_request=review_request, **form.cleaned_data)
            messages.success(
                request, "Vous avez accepté la proposition : votre demande est envoyée."
            )
            return redirect("requests:detail", pk)
        if request.method == "POST" and not accepting and decline_form.is_valid():
            services.decline_proposal(
                review_request=review_request, reason=decline_form.cleaned_data["reason"]
            )
            messages.success(request, "Vous avez décliné la proposition de bilan.")
            return redirect("requests:detail", pk)
    except RequestError as error:
        messages.error(request, str(error))
        return redirect("requests:detail", pk)
    return render(
        request,
        "requests/answer_proposal.html",
        {"review_request": review_request, "form": form, "decline_form": decline_form},
    )


@require_POST
def disability_officer(request: HttpRequest, pk: int) -> HttpResponse:
    """The agent associates the référent handicap, or no longer does, at any time."""
    review_request = load_request(request.user, pk, Purpose.OWN)
    form = DisabilityOfficerForm(request.POST)
    if not review_request.can_choose_disability_officer or not form.is_valid():
        messages.info(request, "Ce choix n’est pas possible pour cette demande.")
        return redirect("requests:detail", pk)
    try:
        chosen = services.choose_disability_officer(
            review_request=review_request, associate=form.cleaned_data["associate"]
        )
    except RequestError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "Le référent handicap sera associé à votre bilan."
            if chosen.wants_disability_officer
            else "Le référent handicap ne sera pas associé à votre bilan.",
        )
    return redirect("requests:detail", pk)


@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    review_request = load_request(request.user, pk, Purpose.OWN)
    if not review_request.can_withdraw:
        messages.info(
            request, "Cette demande n’est plus en cours : elle ne peut plus être retirée."
        )
        return redirect("requests:detail", pk)
    form = OptionalReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_request(
                review_request=review_request, reason=form.cleaned_data["reason"]
            )
        except RequestError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Votre demande est retirée.")
        return redirect("requests:detail", pk)
    return render(
        request, "requests/withdraw.html", {"review_request": review_request, "form": form}
    )


@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    review_request = load_request(request.user, pk, Purpose.DECIDE)
    if not review_request.is_decidable:
        messages.info(
            request,
            f"Cette demande n’attend plus de décision : {review_request.state_label.lower()}.",
        )
        return redirect("requests:detail", pk)
    today = deadlines.legal_today()
    form = DecisionForm(request.POST if request.method == "POST" else None, today=today)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == DecisionForm.APPROVE:
                services.approve_request(review_request=review_request, by=request.user)
                messages.success(request, "La demande est acceptée ; l’agent en est informé.")
            elif data["decision"] == DecisionForm.REFUSE:
                services.refuse_request(
                    review_request=review_request, by=request.user, reason=data["reason"]
                )
                messages.success(request, "La demande est refusée ; l’agent reçoit votre motif.")
            else:
                services.postpone_request(
                    review_request=review_request,
                    by=request.user,
                    reason=data["reason"],
                    start=data["postponement_start"],
                    end=data["postponement_end"],
                )
                messages.success(request, "Le report est enregistré.")
        except RequestError as error:
            messages.error(request, str(error))
        return redirect("requests:detail", pk)
    return render(
        request,
        "requests/decide.html",
        {"review_request": review_request, "form": form, "today": today},
    )


@require_http_methods(["GET", "POST"])
def postponement(request: HttpRequest, pk: int) -> HttpResponse:
    review_request = load_request(request.user, pk, Purpose.ANSWER_POSTPONEMENT)
    if not review_request.can_answer_postponement:
        messages.info(request, "Aucun report de cette demande n’attend l’avis du service RH.")
        return redirect("requests:detail", pk)
    form = PostponementAnswerForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.answer_postponement(
                review_request=review_request,
                by=request.user,
                agree=form.cleaned_data["agree"],
                reason=form.cleaned_data["reason"],
            )
        except RequestError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Votre réponse est enregistrée ; le manager en est informé.")
        return redirect("requests:detail", pk)
    return render(
        request, "requests/postponement.html", {"review_request": review_request, "form": form}
    )


def decision_tabs(today: datetime.date) -> tuple[Tab, ...]:
    """The tabs of the requests a manager or the HR service decides, as of `today`."""
    return (
        Tab(
            "a-decider",
            "À décider",
            in_state_q(AWAITING_DECISION, today),
            ("decision_deadline", "pk"),
        ),
        Tab("decidees", "Décidées", in_state_q(DECIDED, today), ("-received_on", "-pk")),
        Tab("toutes", "Toutes", Q(pk__isnull=False), ("-created_at", "-pk")),
    )


@user_passes(may_see_requests_to_decide)
def to_decide(request: HttpRequest) -> HttpResponse:
    """The requests a manager or the HR service decides: to decide (the nearest deadline
    first), decided, all; a search on the agent's name."""
    search = SearchForm(request.GET)
    today = deadlines.legal_today()
    requests = ReviewRequest.objects.decidable_by(request.user)
    if search.query:
        requests = requests.matching(search.query)
    context = tabbed(
        request,
        requests,
        decision_tabs(today),
        page_size=PAGE_SIZE,
        shown=lambda rows: rows.select_related("agent__user", "agent__service"),
    )
    return render(
        request,
        "requests/to_decide.html",
        {**context, "search": search, "query": search.query, "today": today},
    )


@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, agent_pk: int) -> HttpResponse:
    agent = load_agent_for_proposal(request.user, agent_pk)
    form = ProposalForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            review_request = services.propose_review(
                agent=agent, by=request.user, message=form.cleaned_data["message"]
            )
        except RequestError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"Votre proposition est envoyée à {agent}. Elle attend son accord."
            )
            return redirect("requests:detail", review_request.pk)
    return render(request, "requests/propose.html", {"agent": agent, "form": form})

"""The support interview: the agent asks for one while finalising their synthesis; a
leader of the cohort schedules it (the agent is convoked) or declines it with a message."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cohorts.models import CohortError
from synthesis.forms import SupportAskForm, SupportDeclineForm, SupportScheduleForm
from synthesis.models import SupportRequest, SupportRequestError
from synthesis.permissions import Purpose, load_support_request, load_synthesis
from synthesis.services import ask_support, decline_support, schedule_support_interview


@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest, pk: int) -> HttpResponse:
    synthesis = load_synthesis(request.user, pk, Purpose.OWN).synthesis
    form = SupportAskForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            ask_support(synthesis=synthesis, message=form.cleaned_data["message"])
        except SupportRequestError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, "Votre demande est transmise aux animateurs de votre promotion."
            )
        return redirect("synthesis:support_ask", pk)
    return render(
        request,
        "synthesis/support_ask.html",
        {
            "synthesis": synthesis,
            "form": form,
            "refusal": SupportRequest.asking_refusal(synthesis),
            "requests": synthesis.support_requests.select_related("session").order_by(
                "-created_at", "-pk"
            ),
            "breadcrumb": [
                ("Mon espace", reverse("portals:agent")),
                ("Ma synthèse", reverse("synthesis:detail", args=[pk])),
            ],
        },
    )


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """A leader answers: `action=programmer` with a date and place, or `action=decliner`."""
    support = load_support_request(request.user, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    schedule_form = SupportScheduleForm(request.POST if action == "programmer" else None)
    decline_form = SupportDeclineForm(request.POST if action == "decliner" else None)
    done = None
    try:
        if schedule_form.is_valid():
            schedule_support_interview(
                support=support, by=request.user, **schedule_form.cleaned_data
            )
            done = "L’entretien d’appui est programmé ; l’agent est convoqué."
        elif decline_form.is_valid():
            decline_support(
                support=support,
                by=request.user,
                message=decline_form.cleaned_data["decline_message"],
            )
            done = "La demande est déclinée ; l’agent a reçu votre message."
    except SupportRequestError as error:  # another leader answered first
        messages.error(request, str(error))
        return redirect("synthesis:support_answer", pk)
    except CohortError as error:  # outside working time: said on the form
        schedule_form.add_error("starts_at", str(error))
    if done:
        messages.success(request, done)
        return redirect("synthesis:support_answer", pk)
    return render(
        request,
        "synthesis/support_answer.html",
        {
            "support": support,
            "schedule_form": schedule_form,
            "decline_form": decline_form,
            "breadcrumb": [
                ("Promotions", reverse("cohorts:dashboard")),
                (
                    "Synthèses",
                    reverse("synthesis:cohort", args=[support.synthesis.enrolment.cohort_id]),
                ),
            ],
        },
    )

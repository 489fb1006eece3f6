"""Placing waiting agents in a cohort: the CMC chooses, checks what the choice skips, confirms."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from bpp.pages.services import place_agents
from bpp.requests.models import ReviewRequest
from cohorts import queue
from cohorts.forms import PlacementForm
from cohorts.models import CohortError, waiting_for_a_seat
from cohorts.permissions import Purpose, load_cohort

CONFIRM = "confirmer"


@require_http_methods(["GET", "POST"])
def place(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose agents for a cohort (GET, ?demande= preselects), review the choice, confirm it."""
    cohort = load_cohort(request.user, pk, Purpose.MANAGE)
    waiting = waiting_for_a_seat(
        ReviewRequest.objects.filter(organisation_id=cohort.organisation_id)
    ).select_related("agent__user", "agent__service", "restructuring")
    if request.method == "GET":
        preselected = [v for v in request.GET.getlist("demande") if v.isdigit() and len(v) < 10]
        suited = waiting.filter(queue.suits_q(cohort)) | waiting.filter(pk__in=preselected)
        form = PlacementForm(
            cohort=cohort, waiting=suited.distinct(), initial={"demandes": preselected}
        )
        return render(request, "cohorts/place.html", {"cohort": cohort, "form": form})
    form = PlacementForm(request.POST, cohort=cohort, waiting=waiting)
    if not form.is_valid():
        form.fields["demandes"].queryset = waiting.filter(queue.suits_q(cohort))
        return render(request, "cohorts/place.html", {"cohort": cohort, "form": form})
    chosen = form.cleaned_data["demandes"]
    if request.POST.get("etape") == CONFIRM:
        try:
            enrolments = place_agents(
                cohort=cohort,
                review_requests=chosen,
                by=request.user,
                reason=form.cleaned_data["motif"],
            )
        except CohortError as error:
            form.add_error(None, str(error))
        else:
            names = ", ".join(str(e.agent) for e in enrolments)
            messages.success(request, f"Inscription dans « {cohort} » : {names}.")
            return redirect("cohorts:queue")
    return render(
        request,
        "cohorts/place_confirm.html",
        {
            "cohort": cohort,
            "form": form,
            "chosen": chosen,
            "departures": queue.departures(cohort, chosen),
        },
    )

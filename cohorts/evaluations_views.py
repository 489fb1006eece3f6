"""The satisfaction questionnaire: the agent answers once; leaders, CMCs and HR read
the aggregates of a cohort, and every agent those of their employer ("Mon
accompagnement en +": access to the quality results), from SMALL_COUNT answers only."""

import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from bpp.people.models import Role
from bpp.people.permissions import role_required
from bpp.requests import deadlines
from cohorts.forms import EvaluationForm
from cohorts.models import SMALL_COUNT, Evaluation
from cohorts.permissions import load_cohort, load_own_evaluation

# The agents' page reads the questionnaires answered over the last 12 months.
QUALITY_MONTHS = 12


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = load_own_evaluation(request.user, pk)
    if evaluation.answered_at:
        messages.info(request, "Vous avez déjà répondu à ce questionnaire. Merci !")
        return redirect("portals:agent")
    form = EvaluationForm(request.POST if request.method == "POST" else None, instance=evaluation)
    if form.is_valid():
        answered = form.save(commit=False)
        answered.answered_at = timezone.now()
        answered.save()
        messages.success(request, "Merci pour vos réponses.")
        return redirect("portals:agent")
    return render(request, "cohorts/evaluation.html", {"evaluation": evaluation, "form": form})


def results(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = load_cohort(request.user, pk)
    by_kind = []
    for kind, label in Evaluation.Kind.choices:
        evaluations = Evaluation.objects.filter(enrolment__cohort=cohort, kind=kind)
        satisfaction = evaluations.satisfaction()
        by_kind.append(
            {
                "kind": kind,
                "label": label,
                "satisfaction": satisfaction,
                # Comments without names, in random order, and only with enough answers.
                "comments": list(
                    evaluations.answered()
                    .exclude(comment="")
                    .order_by("?")
                    .values_list("comment", flat=True)
                )
                if satisfaction.shown
                else [],
            }
        )
    return render(
        request,
        "cohorts/evaluation_results.html",
        {"cohort": cohort, "by_kind": by_kind, "min_answers": SMALL_COUNT},
    )


@role_required(Role.AGENT)
def quality(request: HttpRequest) -> HttpResponse:
    """The quality results of the agent's employer: every cohort, the last 12 months."""
    organisation = request.user.agent_profile.organisation
    end = deadlines.legal_today()
    start = deadlines.add_months(end, -QUALITY_MONTHS) + datetime.timedelta(days=1)
    answered = Evaluation.objects.filter(
        enrolment__cohort__organisation=organisation,
        answered_at__date__gte=start,
        answered_at__date__lte=end,
    )
    return render(
        request,
        "cohorts/quality.html",
        {
            "organisation": organisation,
            "start": start,
            "end": end,
            "by_kind": [
                {
                    "kind": kind,
                    "label": label,
                    "satisfaction": answered.filter(kind=kind).satisfaction(),
                }
                for kind, label in Evaluation.Kind.choices
            ],
            "min_answers": SMALL_COUNT,
        },
    )

"""The satisfaction questionnaire: the agent answers once; leaders, CMCs and HR read
the aggregates of a cohort, from SMALL_COUNT answers only."""

from django.contrib import messages
from django.db.models import Avg, Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cohorts.forms import EvaluationForm
from cohorts.models import SMALL_COUNT, STATEMENTS, Evaluation
from cohorts.permissions import load_cohort, load_own_evaluation


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
        answered = Evaluation.objects.filter(
            enrolment__cohort=cohort, kind=kind, answered_at__isnull=False
        )
        summary = answered.aggregate(
            count=Count("pk"), overall=Avg("overall_score"), **{n: Avg(n) for n in STATEMENTS}
        )
        sent = Evaluation.objects.filter(enrolment__cohort=cohort, kind=kind).count()
        shown = summary["count"] >= SMALL_COUNT
        by_kind.append(
            {
                "label": label,
                "sent": sent,
                "count": summary["count"],
                "shown": shown,
                "overall": summary["overall"],
                "statements": [(text, summary[name]) for name, text in STATEMENTS.items()],
                # Comments without names, in random order, and only with enough answers.
                "comments": list(
                    answered.exclude(comment="").order_by("?").values_list("comment", flat=True)
                )
                if shown
                else [],
            }
        )
    return render(
        request,
        "cohorts/evaluation_results.html",
        {"cohort": cohort, "by_kind": by_kind, "min_answers": SMALL_COUNT},
    )

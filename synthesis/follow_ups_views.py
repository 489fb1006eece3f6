"""The follow-up of the action plan: the agent answers it (once) and reads it back; the
leaders of the cohort read the answers their agents chose to share, each read logged."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from synthesis.forms import FollowUpForm
from synthesis.models import AccessRecord, Basis, FollowUp, FollowUpError
from synthesis.permissions import load_follow_up, load_led_cohort, shared_follow_ups


def _record_reads(request: HttpRequest, follow_ups: list[FollowUp], basis: Basis) -> None:
    """A leader's read of the plan's follow-up shows in the agent's record of reads."""
    AccessRecord.objects.bulk_create(
        AccessRecord(
            synthesis=f.synthesis,
            reader=request.user,
            basis=basis,
            format=AccessRecord.Format.PAGE,
        )
        for f in follow_ups
    )


@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up, basis = load_follow_up(request.user, pk, to_answer=request.method == "POST")
    form = None
    if basis == Basis.OWNER and not follow_up.is_answered:
        form = FollowUpForm(request.POST if request.method == "POST" else None, follow_up=follow_up)
    elif request.method == "POST":
        messages.info(request, "Vous avez déjà répondu à ce suivi. Merci !")
        return redirect("synthesis:follow_up", pk)
    if form is not None and form.is_valid():
        try:
            follow_up.answer(
                answers=form.answers(),
                training_started=form.cleaned_data["training_started"],
                mobility_achieved=form.cleaned_data["mobility_achieved"],
                shared_with_leader=form.cleaned_data["shared_with_leader"],
            )
        except FollowUpError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Merci : vos réponses sont enregistrées.")
        return redirect("synthesis:follow_up", pk)
    if basis != Basis.OWNER:
        _record_reads(request, [follow_up], basis)
    return render(
        request,
        "synthesis/follow_up.html",
        {"follow_up": follow_up, "form": form, "is_owner": basis == Basis.OWNER},
    )


def cohort_follow_ups(request: HttpRequest, pk: int) -> HttpResponse:
    """The follow-ups the cohort's agents shared with this leader."""
    cohort = load_led_cohort(request.user, pk)
    follow_ups = list(shared_follow_ups(request.user, cohort))
    basis = Basis.PROVIDER if cohort.is_provider_led else Basis.LEADER
    _record_reads(request, follow_ups, basis)
    return render(
        request,
        "synthesis/cohort_follow_ups.html",
        {
            "cohort": cohort,
            "follow_ups": follow_ups,
            "breadcrumb": [
                ("Promotions", reverse("cohorts:dashboard")),
                (cohort.title, reverse("cohorts:detail", args=[pk])),
            ],
        },
    )

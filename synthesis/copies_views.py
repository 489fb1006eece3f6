"""
The copies a provider downloaded: its consultants attest their destruction once their
access ends (a page they reach after the 410, from the reminder e-mail or their home
page); the employer's staff see, per cohort, whether it is done.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from bpp.people.permissions import user_passes
from bpp.templatetags.french import day
from cohorts.permissions import Purpose as CohortPurpose
from cohorts.permissions import load_cohort
from synthesis.forms import DestructionAttestationForm
from synthesis.models import ProviderCopy, ProviderCopyError
from synthesis.permissions import may_attest_destruction


@user_passes(may_attest_destruction)
@require_http_methods(["GET", "POST"])
def destruction(request: HttpRequest) -> HttpResponse:
    """The consultant attests, cohort by cohort, that they destroyed what they downloaded."""
    now = timezone.now()
    mine = ProviderCopy.objects.filter(consultant=request.user).select_related(
        "cohort__organisation"
    )
    due = mine.due(now).order_by("cohort__title", "pk")
    form = DestructionAttestationForm(
        request.POST if request.method == "POST" else None,
        copies=due,
        initial={"name": request.user.get_full_name()},
    )
    if form.is_valid():
        copy = form.cleaned_data["copy"]
        try:
            copy.attest(name=form.cleaned_data["name"], now=now)
        except ProviderCopyError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"Destruction attestée pour « {copy.cohort.title} », le {day(now)}, au nom "
                f"de {copy.attested_by_name}.",
            )
        return redirect("synthesis:destruction")
    due = list(due)
    if len(due) == 1 and not form.is_bound:
        form.initial["copy"] = due[0].pk
    return render(
        request,
        "synthesis/destruction.html",
        {
            "form": form,
            "due": due,
            "running": mine.open().exclude(pk__in=[c.pk for c in due]).order_by("cohort__title"),
            "attested": mine.exclude(destruction_attested_at__isnull=True).order_by(
                "-destruction_attested_at"
            )[:50],
        },
    )


def cohort_copies(request: HttpRequest, pk: int) -> HttpResponse:
    """For the employer's staff: what the provider's consultants downloaded from a cohort,
    and whether they attested its destruction."""
    cohort = load_cohort(request.user, pk, CohortPurpose.MANAGE)
    now = timezone.now()
    copies = ProviderCopy.objects.filter(cohort=cohort).select_related("consultant", "provider")
    due = set(copies.due(now).values_list("pk", flat=True))
    return render(
        request,
        "synthesis/cohort_copies.html",
        {
            "cohort": cohort,
            "copies": [(c, c.pk in due) for c in copies.order_by("-first_downloaded_at", "pk")],
            "breadcrumb": [
                ("Promotions", reverse("cohorts:dashboard")),
                (cohort.title, reverse("cohorts:detail", args=[pk])),
            ],
        },
    )

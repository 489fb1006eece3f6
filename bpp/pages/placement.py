"""Placing a waiting agent in a cohort, from the queue or the CMC dashboard."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from bpp.pages.services import place_agent
from cohorts.models import CohortError
from cohorts.permissions import Purpose, load_cohort, load_request_to_place


@require_POST
def place(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    cohort = load_cohort(request.user, pk, Purpose.MANAGE)
    review_request = load_request_to_place(request.user, cohort, request_pk)
    try:
        place_agent(review_request=review_request, cohort=cohort, by=request.user)
    except CohortError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{review_request.agent} est inscrit dans « {cohort} ».")
    return redirect("cohorts:queue")

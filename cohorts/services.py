"""Operations on cohorts that span several models and run in one transaction."""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bpp import deadlines
from bpp.models import ReviewRequest, Status, User
from cohorts.models import Cohort, CohortError, Enrolment


@transaction.atomic
def place_agent(
    *,
    review_request: ReviewRequest,
    cohort: Cohort,
    by: User,
    now: datetime.datetime | None = None,
) -> Enrolment:
    """Give the agent of an approved request a seat in a cohort.

    The seat is taken by one conditional UPDATE on the cohort row: PostgreSQL
    re-checks `seats_taken < capacity` after any concurrent placement commits,
    so the last seat goes to exactly one agent; the check constraint backs it.
    """
    now = now or timezone.now()
    locked = ReviewRequest.objects.select_for_update(of=("self",)).get(pk=review_request.pk)
    if locked.state_on(deadlines.legal_today(now)) != Status.APPROVED:
        raise CohortError("Seule une demande acceptée peut recevoir une place.")
    if locked.organisation_id != cohort.organisation_id:
        raise CohortError("Cette promotion n’est pas proposée par l’employeur de l’agent.")
    if Enrolment.objects.filter(agent_id=locked.agent_id, withdrawn_at__isnull=True).exists():
        raise CohortError(f"{locked.agent} a déjà une place dans une promotion.")
    taken = (
        Cohort.objects.open_for_placement()
        .filter(pk=cohort.pk)
        .update(seats_taken=F("seats_taken") + 1)
    )
    if not taken:
        raise CohortError(f"La promotion « {cohort} » est complète ou n’est plus ouverte.")
    return Enrolment.objects.create(
        cohort=cohort, agent_id=locked.agent_id, request=locked, placed_at=now, placed_by=by
    )


@transaction.atomic
def withdraw_agent(
    *, enrolment: Enrolment, reason: str = "", now: datetime.datetime | None = None
) -> None:
    """The agent leaves the cohort: the seat is freed for the next waiting agent."""
    now = now or timezone.now()
    freed = Enrolment.objects.filter(pk=enrolment.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdrawal_reason=reason.strip()
    )
    if not freed:
        raise CohortError("Vous avez déjà quitté cette promotion.")
    Cohort.objects.filter(pk=enrolment.cohort_id).update(seats_taken=F("seats_taken") - 1)

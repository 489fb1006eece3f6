"""Pages of the site itself, for machines: the health check."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError
from django.db.models import Case, Min, When
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult, get_date_max


def oldest_ready_task_age() -> float | None:
    """Seconds the oldest task ready to run has waited for a worker (None: none waits).

    A task waits from its enqueueing, or from the time it was put off until (a retry).
    """
    ready_since = Case(When(run_after=get_date_max(), then="enqueued_at"), default="run_after")
    oldest = DBTaskResult.objects.ready().aggregate(oldest=Min(ready_since))["oldest"]
    return None if oldest is None else max((timezone.now() - oldest).total_seconds(), 0.0)


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when the database answers and the tasks
    worker keeps up, 503 when the database does not answer or a ready task has waited
    more than HEALTHZ_MAX_TASK_AGE seconds (no worker running, or too few)."""
    try:
        age = oldest_ready_task_age()
    except DatabaseError:
        return JsonResponse({"database": "unavailable"}, status=503)
    late = age is not None and age > settings.HEALTHZ_MAX_TASK_AGE
    return JsonResponse(
        {
            "database": "ok",
            "oldest_ready_task_age": None if age is None else round(age, 1),
            "tasks": "late" if late else "ok",
        },
        status=503 if late else 200,
    )

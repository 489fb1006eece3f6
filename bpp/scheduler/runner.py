"""Run the periodic jobs that are due, each scheduled run once across every process."""

import datetime
import io
import logging
import traceback

from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from .models import JobRun
from .schedule import Job, is_due, jobs_from_setting, last_due_time

logger = logging.getLogger(__name__)


def scheduled_jobs() -> list[Job]:
    return jobs_from_setting(settings.SCHEDULE)


def _claim(job: Job, due_at: datetime.datetime, now: datetime.datetime) -> JobRun | None:
    """Record the run before starting it; None when another process recorded it first."""
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=job.name, due_at=due_at, started_at=now)
    except IntegrityError:
        return None


def run_job(job: Job, run: JobRun) -> None:
    """Run the job's command and record how it ended; a failure is recorded, not raised."""
    output = io.StringIO()
    logger.info("Periodic job %s started (due %s)", job.name, run.due_at.isoformat())
    try:
        call_command(job.command, stdout=output, stderr=output)
    except Exception:
        run.outcome = JobRun.Outcome.FAILED
        output.write(traceback.format_exc())
        logger.exception("Periodic job %s failed", job.name)
    else:
        run.outcome = JobRun.Outcome.SUCCEEDED
        logger.info("Periodic job %s succeeded: %s", job.name, output.getvalue().strip())
    run.finished_at = timezone.now()
    run.output = output.getvalue()[-10_000:]
    run.save(update_fields=["outcome", "finished_at", "output"])


def run_due_jobs(*, now: datetime.datetime, jobs: list[Job] | None = None) -> list[JobRun]:
    """Run every job whose most recent scheduled time has not run yet; return those runs.

    Another process may be doing the same at the same moment: the unique (job, due time)
    of `JobRun` lets exactly one of them record, hence run, each scheduled run.
    """
    jobs = scheduled_jobs() if jobs is None else jobs
    last_runs = dict(
        JobRun.objects.filter(job__in=[job.name for job in jobs])
        .values("job")
        .annotate(last=Max("due_at"))
        .values_list("job", "last")
    )
    runs = []
    for job in jobs:
        if not is_due(job, now, last_runs.get(job.name)):
            continue
        run = _claim(job, last_due_time(job, now), now)
        if run is not None:
            run_job(job, run)
            runs.append(run)
    return runs

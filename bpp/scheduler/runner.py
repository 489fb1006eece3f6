"""Run the periodic jobs that are due, each scheduled run once across every process."""

import datetime
import logging
import os
import subprocess
import sys
import traceback

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from .models import JobRun
from .schedule import Job, is_due, jobs_from_setting, last_due_time

logger = logging.getLogger(__name__)


def scheduled_jobs() -> list[Job]:
    return jobs_from_setting(settings.SCHEDULE)


def _claim(job: Job, due_at: datetime.datetime) -> JobRun | None:
    """Record the run before starting it; None when another process recorded it first."""
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=job.name, due_at=due_at, started_at=timezone.now())
    except IntegrityError:
        return None


# A command run as call_command runs it: without the system checks, which would import
# every view for nothing (release.sh runs them once per release).
RUN_COMMAND = """
import sys, django
django.setup()
from django.core.management import call_command
call_command(sys.argv[1])
"""


def run_command(command: str) -> tuple[bool, str]:
    """Run a management command in a process of its own: (succeeded, its output).

    Its own process: the memory a job takes goes back to the system when it ends (the
    scheduler itself stays small), a crash stays in it, and each run uses the code
    deployed at that moment.
    """
    completed = subprocess.run(
        [sys.executable, "-c", RUN_COMMAND, command],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    return completed.returncode == 0, completed.stdout


def run_job(job: Job, run: JobRun) -> None:
    """Run the job's command and record how it ended; a failure is recorded, not raised."""
    logger.info("Periodic job %s started (due %s)", job.name, run.due_at.isoformat())
    try:
        succeeded, output = run_command(job.command)
    except OSError:
        succeeded, output = False, traceback.format_exc()
    if succeeded:
        run.outcome = JobRun.Outcome.SUCCEEDED
        logger.info("Periodic job %s succeeded: %s", job.name, output.strip()[-500:])
    else:
        run.outcome = JobRun.Outcome.FAILED
        logger.error("Periodic job %s failed: %s", job.name, output.strip()[-2000:])
    run.finished_at = timezone.now()
    run.output = output[-10_000:]
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
        run = _claim(job, last_due_time(job, now))
        if run is not None:
            run_job(job, run)
            runs.append(run)
    return runs

"""Two schedulers at the same moment, on PostgreSQL: each scheduled run happens once."""

import datetime
import threading
import time

import pytest
from django.db.models import Max

from bpp.scheduler import runner
from bpp.scheduler.models import JobRun
from bpp.scheduler.schedule import Job, is_due
from tests.clock import paris
from tests.concurrency import POSTGRESQL_ONLY, in_parallel

pytestmark = POSTGRESQL_ONLY

JOB = Job(name="slow", command="slow", at=datetime.time(0, 5))
NOW = paris(2027, 3, 28, 0, 6)


@pytest.fixture
def runs_of_the_command(monkeypatch):
    """Count the command's runs; each takes a moment, as a real job does."""
    runs = []
    lock = threading.Lock()

    def slow_command(command):
        time.sleep(0.3)
        with lock:
            runs.append(command)
        return True, ""

    monkeypatch.setattr(runner, "run_command", slow_command)
    return runs


def test_two_schedulers_at_once_run_a_job_once(runs_of_the_command):
    outcomes = in_parallel(
        lambda: runner.run_due_jobs(now=NOW, jobs=[JOB]),
        lambda: runner.run_due_jobs(now=NOW, jobs=[JOB]),
    )

    assert runs_of_the_command == ["slow"], outcomes
    assert JobRun.objects.get().outcome == JobRun.Outcome.SUCCEEDED


def naive_run_due_jobs(*, now, jobs):
    """Control: check the last run, then run, then record it (no record taken first)."""
    for job in jobs:
        last = JobRun.objects.filter(job=job.name).aggregate(last=Max("due_at"))["last"]
        if is_due(job, now, last):
            runner.run_command(job.command)
            JobRun.objects.create(job=job.name, due_at=now, started_at=now)


def test_control_without_the_record_taken_first_the_job_runs_twice(runs_of_the_command):
    in_parallel(
        lambda: naive_run_due_jobs(now=NOW, jobs=[JOB]),
        lambda: naive_run_due_jobs(now=NOW, jobs=[JOB]),
    )

    assert runs_of_the_command == ["slow", "slow"]

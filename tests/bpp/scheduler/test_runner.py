"""Running the due jobs: once per scheduled time, catching up once, failures recorded."""

import datetime

import pytest
from django.conf import settings
from django.core.management import call_command, get_commands

from bpp.scheduler.models import JobRun
from bpp.scheduler.runner import run_due_jobs
from bpp.scheduler.schedule import Job
from tests.clock import paris

pytestmark = pytest.mark.django_db

CHECK = Job(name="check", command="check", at=datetime.time(7, 0))
BROKEN = Job(name="broken", command="no_such_command", at=datetime.time(6, 0))


def test_a_due_job_runs_and_its_run_is_recorded():
    [run] = run_due_jobs(now=paris(2027, 1, 10, 7, 1), jobs=[CHECK])

    run.refresh_from_db()
    assert (run.job, run.due_at, run.outcome) == ("check", paris(2027, 1, 10, 7, 0), "succeeded")
    assert run.started_at == paris(2027, 1, 10, 7, 1)
    assert run.finished_at is not None
    assert "no issues" in run.output


def test_a_scheduled_run_happens_once():
    run_due_jobs(now=paris(2027, 1, 10, 7, 1), jobs=[CHECK])

    assert run_due_jobs(now=paris(2027, 1, 10, 7, 2), jobs=[CHECK]) == []
    assert run_due_jobs(now=paris(2027, 1, 11, 6, 59), jobs=[CHECK]) == []
    assert len(run_due_jobs(now=paris(2027, 1, 11, 7, 0), jobs=[CHECK])) == 1


def test_missed_days_catch_up_with_one_run():
    run_due_jobs(now=paris(2027, 1, 3, 7, 1), jobs=[CHECK])

    runs = run_due_jobs(now=paris(2027, 1, 10, 12, 0), jobs=[CHECK])

    assert [run.due_at for run in runs] == [paris(2027, 1, 10, 7, 0)]
    assert run_due_jobs(now=paris(2027, 1, 10, 12, 1), jobs=[CHECK]) == []


def test_a_failing_job_is_recorded_and_the_next_ones_still_run():
    broken, check = run_due_jobs(now=paris(2027, 1, 10, 8, 0), jobs=[BROKEN, CHECK])

    assert broken.outcome == JobRun.Outcome.FAILED
    assert "no_such_command" in broken.output
    assert check.outcome == JobRun.Outcome.SUCCEEDED


def test_a_failed_run_is_not_retried_before_its_next_time():
    run_due_jobs(now=paris(2027, 1, 10, 8, 0), jobs=[BROKEN])

    assert run_due_jobs(now=paris(2027, 1, 10, 9, 0), jobs=[BROKEN]) == []


def test_every_scheduled_command_exists():
    commands = get_commands()

    assert all(command in commands for command, _ in settings.SCHEDULE.values())


def test_run_scheduler_once_runs_what_is_due_and_exits(settings):
    settings.SCHEDULE = {"check": ("check", "00:00")}

    call_command("run_scheduler", "--once")

    assert JobRun.objects.get().outcome == JobRun.Outcome.SUCCEEDED

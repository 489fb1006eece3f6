"""Running the due jobs: once per scheduled time, catching up once, failures recorded."""

import datetime

import pytest
from django.conf import settings
from django.core.management import call_command, get_commands

from bpp.scheduler import runner
from bpp.scheduler.models import JobRun
from bpp.scheduler.runner import run_due_jobs
from bpp.scheduler.schedule import Job
from tests.clock import paris

pytestmark = pytest.mark.django_db

REMINDERS = Job(name="reminders", command="send_reminders", at=datetime.time(7, 0))
BROKEN = Job(name="broken", command="break_down", at=datetime.time(6, 0))


@pytest.fixture
def commands(monkeypatch):
    """The commands run, in order; `break_down` fails."""
    run = []

    def run_command(command):
        run.append(command)
        return command != "break_down", f"{command} : terminé\n"

    monkeypatch.setattr(runner, "run_command", run_command)
    return run


def test_a_due_job_runs_and_its_run_is_recorded(commands):
    [run] = run_due_jobs(now=paris(2027, 1, 10, 7, 1), jobs=[REMINDERS])

    run.refresh_from_db()
    assert commands == ["send_reminders"]
    assert (run.job, run.due_at, run.outcome) == ("reminders", paris(2027, 1, 10, 7), "succeeded")
    assert run.started_at <= run.finished_at
    assert run.output == "send_reminders : terminé\n"


def test_a_scheduled_run_happens_once(commands):
    run_due_jobs(now=paris(2027, 1, 10, 7, 1), jobs=[REMINDERS])

    assert run_due_jobs(now=paris(2027, 1, 10, 7, 2), jobs=[REMINDERS]) == []
    assert run_due_jobs(now=paris(2027, 1, 11, 6, 59), jobs=[REMINDERS]) == []
    assert len(run_due_jobs(now=paris(2027, 1, 11, 7, 0), jobs=[REMINDERS])) == 1
    assert commands == ["send_reminders", "send_reminders"]


def test_missed_days_catch_up_with_one_run(commands):
    run_due_jobs(now=paris(2027, 1, 3, 7, 1), jobs=[REMINDERS])

    runs = run_due_jobs(now=paris(2027, 1, 10, 12, 0), jobs=[REMINDERS])

    assert [run.due_at for run in runs] == [paris(2027, 1, 10, 7, 0)]
    assert run_due_jobs(now=paris(2027, 1, 10, 12, 1), jobs=[REMINDERS]) == []
    assert len(commands) == 2


def test_a_failing_job_is_recorded_and_the_next_ones_still_run(commands):
    broken, reminders = run_due_jobs(now=paris(2027, 1, 10, 8, 0), jobs=[BROKEN, REMINDERS])

    assert broken.outcome == JobRun.Outcome.FAILED
    assert reminders.outcome == JobRun.Outcome.SUCCEEDED


def test_a_failed_run_is_not_retried_before_its_next_time(commands):
    run_due_jobs(now=paris(2027, 1, 10, 8, 0), jobs=[BROKEN])

    assert run_due_jobs(now=paris(2027, 1, 10, 9, 0), jobs=[BROKEN]) == []


def test_every_scheduled_command_exists():
    commands = get_commands()

    assert all(command in commands for command, _ in settings.SCHEDULE.values())


def test_a_command_runs_in_a_process_of_its_own():
    succeeded, output = runner.run_command("check")

    # SQLite has no covering indexes: the warning about them is silenced there (models.W040).
    assert succeeded and output.startswith("System check identified no issues (")


def test_a_command_that_fails_returns_its_error():
    succeeded, output = runner.run_command("no_such_command")

    assert not succeeded
    assert "Unknown command: 'no_such_command'" in output


def test_run_scheduler_once_runs_what_is_due_and_exits(settings, commands):
    settings.SCHEDULE = {"reminders": ("send_reminders", "00:00")}

    call_command("run_scheduler", "--once")

    assert JobRun.objects.get().outcome == JobRun.Outcome.SUCCEEDED
    assert commands == ["send_reminders"]

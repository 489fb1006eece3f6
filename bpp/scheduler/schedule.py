"""When a periodic job is due: the most recent scheduled Paris time, DST-safe."""

import datetime
import zoneinfo
from dataclasses import dataclass

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class Job:
    name: str
    command: str
    at: datetime.time  # Paris time of day


def jobs_from_setting(schedule: dict[str, tuple[str, str]]) -> list[Job]:
    """`{"name": ("command", "HH:MM")}` → jobs, in the order of their times."""
    jobs = [
        Job(name=name, command=command, at=datetime.time.fromisoformat(at))
        for name, (command, at) in schedule.items()
    ]
    return sorted(jobs, key=lambda job: job.at)


def _paris(day: datetime.date, at: datetime.time) -> datetime.datetime:
    """That wall-clock time in Paris that day, in UTC.

    A time skipped when the clocks go forward (02:30 in late March) is taken an hour
    later; a time that happens twice when they go back is taken the first time (fold=0).
    """
    return datetime.datetime.combine(day, at, tzinfo=PARIS).astimezone(datetime.UTC)


def last_due_time(job: Job, now: datetime.datetime) -> datetime.datetime:
    """The most recent time at or before `now` when the job was scheduled to start."""
    today = now.astimezone(PARIS).date()
    due = _paris(today, job.at)
    if due > now:
        due = _paris(today - datetime.timedelta(days=1), job.at)
    return due


def is_due(job: Job, now: datetime.datetime, last_run_due_at: datetime.datetime | None) -> bool:
    """Due when its most recent scheduled time has not been run yet.

    Only the most recent one counts: after days without a scheduler, the job runs once.
    """
    return last_run_due_at is None or last_run_due_at < last_due_time(job, now)

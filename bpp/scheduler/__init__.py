"""
The periodic jobs, run at their Paris times by `manage.py run_scheduler`.

`settings.SCHEDULE` maps a job name to a management command and a time of day in
Paris. Any number of schedulers may run, on any machines: each scheduled run of a job
happens once, because it is recorded first (`JobRun`, unique per job and scheduled time)
and only the process whose record was saved runs it. A run missed while no scheduler ran
catches up once, not once per missed day. Each run is a process of its own: the
scheduler stays small, and a job that crashes or leaks takes nothing with it.

This package knows no domain: it runs commands by their names.
"""

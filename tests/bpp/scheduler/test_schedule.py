"""When a job is due: its most recent Paris time, on both sides of midnight and of DST."""

import datetime

from bpp.scheduler.schedule import Job, is_due, jobs_from_setting, last_due_time
from tests.clock import paris

UTC = datetime.UTC


def job(at: str) -> Job:
    return Job(name="job", command="command", at=datetime.time.fromisoformat(at))


def test_it_is_due_once_its_paris_time_has_come():
    yesterday = last_due_time(job("07:00"), paris(2027, 1, 10, 6, 59))

    assert yesterday == paris(2027, 1, 9, 7, 0)
    assert not is_due(job("07:00"), paris(2027, 1, 10, 6, 59), last_run_due_at=yesterday)
    assert is_due(job("07:00"), paris(2027, 1, 10, 7, 0), last_run_due_at=yesterday)


def test_after_midnight_in_paris_is_a_new_day_even_before_midnight_in_utc():
    now = datetime.datetime(2027, 1, 10, 23, 6, tzinfo=UTC)  # 00:06 on the 11th in Paris

    assert last_due_time(job("00:05"), now) == paris(2027, 1, 11, 0, 5)
    assert is_due(job("00:05"), now, last_run_due_at=paris(2027, 1, 10, 0, 5))


def test_just_before_midnight_the_last_run_is_the_same_day():
    assert last_due_time(job("00:05"), paris(2027, 1, 10, 23, 59)) == paris(2027, 1, 10, 0, 5)


def test_it_follows_paris_time_when_the_clocks_go_forward():
    # 28 March 2027: 02:00 CET becomes 03:00 CEST; 07:00 is then 05:00 UTC, not 06:00.
    assert last_due_time(job("07:00"), paris(2027, 3, 28, 7, 0)) == datetime.datetime(
        2027, 3, 28, 5, 0, tzinfo=UTC
    )
    assert last_due_time(job("07:00"), paris(2027, 3, 28, 6, 59)) == datetime.datetime(
        2027, 3, 27, 6, 0, tzinfo=UTC
    )
    assert last_due_time(job("00:05"), paris(2027, 3, 28, 3, 0)) == datetime.datetime(
        2027, 3, 27, 23, 5, tzinfo=UTC
    )


def test_a_time_skipped_when_the_clocks_go_forward_runs_an_hour_later():
    assert last_due_time(job("02:30"), paris(2027, 3, 28, 4, 0)) == paris(2027, 3, 28, 3, 30)
    assert last_due_time(job("02:30"), paris(2027, 3, 28, 3, 29)) == paris(2027, 3, 27, 2, 30)


def test_it_follows_paris_time_when_the_clocks_go_back():
    # 31 October 2027: 03:00 CEST becomes 02:00 CET; 07:00 is then 06:00 UTC.
    assert last_due_time(job("07:00"), paris(2027, 10, 31, 7, 0)) == datetime.datetime(
        2027, 10, 31, 6, 0, tzinfo=UTC
    )
    assert not is_due(
        job("07:00"),
        datetime.datetime(2027, 10, 31, 5, 30, tzinfo=UTC),  # 06:30 CET
        last_run_due_at=paris(2027, 10, 30, 7, 0),
    )


def test_a_time_that_happens_twice_when_the_clocks_go_back_runs_once():
    first = datetime.datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # 02:30 CEST
    second = datetime.datetime(2027, 10, 31, 1, 30, tzinfo=UTC)  # 02:30 CET, an hour later

    assert last_due_time(job("02:30"), first) == first
    assert not is_due(job("02:30"), second, last_run_due_at=first)


def test_days_without_a_run_make_one_catch_up_run():
    now = paris(2027, 1, 10, 12, 0)

    assert is_due(job("07:00"), now, last_run_due_at=paris(2027, 1, 3, 7, 0))
    assert last_due_time(job("07:00"), now) == paris(2027, 1, 10, 7, 0)


def test_a_job_never_run_is_due():
    assert is_due(job("07:00"), paris(2027, 1, 10, 12, 0), last_run_due_at=None)


def test_the_setting_lists_the_jobs_in_the_order_of_their_times():
    jobs = jobs_from_setting({"late": ("b", "07:00"), "early": ("a", "00:05")})

    assert [(j.name, j.command, j.at) for j in jobs] == [
        ("early", "a", datetime.time(0, 5)),
        ("late", "b", datetime.time(7, 0)),
    ]

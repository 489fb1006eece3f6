"""Instants in legal (Paris) time, for the rules that depend on the date."""

import datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def paris(
    year: int, month: int, day: int, hour: int = 10, minute: int = 0, second: int = 0
) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=PARIS)

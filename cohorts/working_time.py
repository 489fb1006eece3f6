"""
Sessions and interviews take place on the agents' working time: a working day (Monday
to Friday, French public holidays excluded) within WORKING_HOURS, Paris time.
"""

import datetime
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

from bpp.templatetags import french

PARIS = ZoneInfo("Europe/Paris")
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


@cache
def _public_holidays(year: int) -> dict[datetime.date, str]:
    return dict(holidays.France(years=year, language="fr"))


def working_hours() -> tuple[datetime.time, datetime.time]:
    start, end = settings.WORKING_HOURS
    return start, end


def _hour(value: datetime.time) -> str:
    return f"{value.hour} h" if not value.minute else f"{value.hour} h {value.minute:02d}"


def working_time_refusal(starts_at: datetime.datetime, duration_minutes: int) -> str | None:
    """Why a session at `starts_at` lasting `duration_minutes` is not on working time, in
    French, or None when it is."""
    start = starts_at.astimezone(PARIS)
    end = start + datetime.timedelta(minutes=duration_minutes)
    day = start.date()
    if start.weekday() >= 5:
        return f"Le {french.day(day)} est un {DAYS[start.weekday()]} : une séance a lieu du lundi au vendredi."
    holiday = _public_holidays(day.year).get(day)
    if holiday:
        return f"Le {french.day(day)} est un jour férié ({holiday}) : choisissez un jour travaillé."
    opens, closes = working_hours()
    if start.time() < opens or end.date() != day or end.time() > closes:
        return (
            f"Une séance se tient entre {_hour(opens)} et {_hour(closes)}, heure de Paris, "
            "sur le temps de travail des agents."
        )
    return None

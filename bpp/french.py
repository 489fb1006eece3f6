"""French typography that Django's formats do not give: "1er mars 2026"."""

import datetime

from django.utils import formats, timezone


def day(value: datetime.date | datetime.datetime) -> str:
    """The day in words, as French writes it: "1er mars 2026", "15 avril 2026".

    A date and time is read in the current time zone (Paris), where its day is legal.
    """
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    text = formats.date_format(value, "j F Y")
    return "1er" + text[1:] if value.day == 1 else text

"""Dates in words with French typography: « 1er mars 2026 », « du 30 novembre au 6 décembre »."""

import datetime

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

register = template.Library()


@register.filter(expects_localtime=True)
def jour(value: datetime.date | None, arg: str = "j F Y") -> str:
    """Like `date`, with the ordinal of the first day of a month: « lundi 1er mars »."""
    if not value:
        return ""
    if value.day == 1:
        arg = arg.replace("j", r"j\e\r")
    return date_filter(value, arg)


@register.filter
def week_span(monday: datetime.date) -> str:
    """The seven days from `monday`, « du 30 novembre au 6 décembre 2026 »: the month and
    the year once when both ends share them."""
    sunday = monday + datetime.timedelta(days=6)
    if monday.year != sunday.year:
        start = "j F Y"
    elif monday.month != sunday.month:
        start = "j F"
    else:
        start = "j"
    return f"du {jour(monday, start)} au {jour(sunday, 'j F Y')}"


def day(value: datetime.date | datetime.datetime) -> str:
    """For the text the code writes (messages, e-mails): "1er mars 2026", a date and time
    read in Paris, where its day is legal."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return jour(value)

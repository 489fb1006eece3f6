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


# Words whose "h" is aspirated: no elision before them (« de Hollande », « le handicap »).
# Before every other "h" the article elides (« d’Hélène », « l’hôpital »).
ASPIRATED_H = (
    "hall",
    "hameau",
    "handicap",
    "harcèlement",
    "hasard",
    "haut",
    "hausse",
    "héros",
    "hêtre",
    "hiérarchie",
    "hollande",
    "hongrie",
    "honte",
    "hors",
    "huit",
)
VOWELS = frozenset("aeiouàâäéèêëîïôöùûüæœ")
ELIDED = {"de": "d’", "que": "qu’", "le": "l’", "la": "l’", "je": "j’", "ne": "n’", "se": "s’"}


def elides(word: str) -> bool:
    """Whether a short word (de, que, le) elides before `word`: a vowel or a mute "h".

    "Y" is a vowel before a consonant (« d’Yves ») and a consonant before a vowel
    (« de Yannick »).
    """
    lower = word.strip().lower()
    if not lower:
        return False
    first, second = lower[0], lower[1:2]
    if first in VOWELS:
        return True
    if first == "y":
        return bool(second) and second not in VOWELS
    if first == "h":
        return not lower.startswith(ASPIRATED_H)
    return False


def elide(short: str, word: object) -> str:
    """« de Paul », « d’Émilie », « qu’Antoine », « l’hôpital »: `short` before `word`."""
    word = str(word)
    if elides(word):
        return ELIDED[short] + word.lstrip()
    return f"{short} {word}"


@register.filter(is_safe=True)
def de(value: object) -> str:
    """`{{ agent|de }}`: « d’Émilie Martin », « de Paul Durand » (the name is escaped)."""
    return elide("de", value)


@register.filter(name="elide", is_safe=True)
def elide_filter(value: object, short: str) -> str:
    """`{{ agent|elide:"que" }}`: « qu’Antoine », « que Paul »; also "le", "la", "je"…"""
    return elide(short, value)


def plural(count: int | float, suffix: str = "s") -> str:
    """The plural ending when `count` is 2 or more: in French, 0 and 1 take the singular.

    `suffix` is the plural ending ("s", "ent", "x"), or "singular,plural" endings
    ("al,aux": « 1 local », « 3 locaux »).
    """
    singular, _, plural_ending = suffix.rpartition(",") if "," in suffix else ("", "", suffix)
    return plural_ending if abs(count) >= 2 else singular


@register.filter(is_safe=False)
def pluriel(value: object, suffix: str = "s") -> str:
    """Like `pluralize`, in French: « 0 agent », « 1 agent », « 2 agents ».

    `value` is a number or a collection (its length counts).
    """
    try:
        count = len(value) if hasattr(value, "__len__") and not isinstance(value, str) else value
        return plural(float(count), suffix)
    except (TypeError, ValueError):
        return ""

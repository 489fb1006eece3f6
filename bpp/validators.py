"""Bounds on what users type, shared by the forms and the models of every app."""

import datetime
import re

from django.core.exceptions import ValidationError

# Any date the application deals with falls within these years: a later or earlier one is
# a typo (year 20026), and date arithmetic near year 1 or 9999 would overflow.
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2099, 12, 31)


def validate_plausible_date(value: datetime.date | datetime.datetime) -> None:
    """Refuse a date (or the day of a date and time) outside EARLIEST_DATE–LATEST_DATE."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            "Saisissez une date entre %(earliest)s et %(latest)s.",
            code="implausible_date",
            params={"earliest": EARLIEST_DATE.year, "latest": LATEST_DATE.year},
        )


# Metropolitan départements 01–95 (Corsica 2A/2B, no 20) and the overseas 971–976.
DEPARTEMENT = re.compile(r"^(0[1-9]|1[0-9]|2[1-9AB]|[3-8][0-9]|9[0-5]|97[1-6])$")


def validate_departement(value: str) -> None:
    if not DEPARTEMENT.fullmatch(value):
        raise ValidationError(
            "Indiquez un code de département : 01 à 95, 2A, 2B ou 971 à 976.",
            code="departement",
        )

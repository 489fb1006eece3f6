"""
The e-mails about a person's own account (through `bpp.mailer`), sent by
`bpp.people.services`: what an administrator changed, the link to choose a password.
"""

from django.conf import settings
from django.urls import reverse

from bpp import mailer
from bpp.people.models import AccountEvent, User


def account_changed(user: User, events: list[AccountEvent]) -> None:
    mailer.send(
        "people/account_changed",
        [user],
        events=events,
        url=settings.SITE_URL + reverse("account"),
    )


def password_reset(user: User, *, url: str, welcome: bool) -> None:
    """The link opens the account by itself: « Mes notifications » keeps the message, not
    the link."""
    mailer.send("people/password_reset", [user], url=url, private_link=True, welcome=welcome)

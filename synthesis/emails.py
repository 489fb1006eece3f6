"""
The e-mails of a synthesis (through `bpp.mailer`), sent by `synthesis.services`.

They never hold a word of the document: only that something awaits, and a link.
"""

import datetime

from django.conf import settings
from django.urls import reverse

from bpp import mailer
from synthesis.models import Synthesis


def _url(synthesis: Synthesis) -> str:
    return settings.SITE_URL + reverse("synthesis:detail", args=[synthesis.pk])


def to_sign(synthesis: Synthesis, leaders) -> None:
    """The agent finalised or signed: the leaders are asked to sign."""
    mailer.send("synthesis/to_sign", leaders, agent=synthesis.enrolment.agent, url=_url(synthesis))


def signed(synthesis: Synthesis, leaders) -> None:
    """Both signed: the agent and the leaders are told the document is locked."""
    agent = synthesis.enrolment.agent
    mailer.send("synthesis/signed", [agent.user, *leaders], agent=agent, url=_url(synthesis))


def deletion_notice(user, pairs: list[tuple[Synthesis, datetime.date]]) -> None:
    """A month before: the agent's syntheses (with their deletion day) will be deleted."""
    mailer.send(
        "synthesis/deletion_notice",
        [user],
        notices=[(_url(synthesis), deletes_on) for synthesis, deletes_on in pairs],
        export_url=settings.SITE_URL + reverse("portals:my_data"),
        privacy_url=settings.SITE_URL + reverse("privacy"),
    )

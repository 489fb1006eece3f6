"""
The e-mails of a synthesis (through `bpp.mailer`), sent by `synthesis.services`.

They never hold a word of the document: only that something awaits, and a link.
"""

import datetime

from django.conf import settings
from django.urls import reverse

from bpp import mailer
from bpp.people.models import User
from synthesis.models import FollowUp, ProviderCopy, ShareRequest, SupportRequest, Synthesis


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


def share_requested(share_request: ShareRequest) -> None:
    """The manager or HR asked: the agent is told where to answer (the sharing page)."""
    synthesis = share_request.synthesis
    mailer.send(
        "synthesis/share_requested",
        [synthesis.enrolment.agent.user],
        share_request=share_request,
        url=settings.SITE_URL + reverse("synthesis:sharing", args=[synthesis.pk]),
    )


def share_answered(share_request: ShareRequest) -> None:
    """The agent answered: the asker is told, and nothing else (the document if accepted)."""
    synthesis = share_request.synthesis
    agent = synthesis.enrolment.agent
    url = (
        _url(synthesis)
        if share_request.is_accepted
        else settings.SITE_URL + reverse("synthesis:ask", args=[agent.pk])
    )
    mailer.send(
        "synthesis/share_answered",
        [share_request.asked_by],
        share_request=share_request,
        agent=agent,
        url=url,
    )


def destruction_reminder(consultant: User, copies: list[ProviderCopy]) -> None:
    """A consultant whose access ended is reminded to attest the destruction of the
    copies of these cohorts (one e-mail for all of them)."""
    mailer.send(
        "synthesis/destruction_reminder",
        [consultant],
        copies=copies,
        url=settings.SITE_URL + reverse("synthesis:destruction"),
    )


def follow_up_sent(follow_up: FollowUp) -> None:
    """The check-in on the agent's action plan: only that it awaits them, and a link."""
    mailer.send(
        "synthesis/follow_up",
        [follow_up.synthesis.enrolment.agent.user],
        follow_up=follow_up,
        cohort=follow_up.synthesis.enrolment.cohort,
        url=settings.SITE_URL + reverse("synthesis:follow_up", args=[follow_up.pk]),
    )


def support_asked(support: SupportRequest, leaders) -> None:
    """The agent asked for a support interview: the leaders, with a link (not the message)."""
    mailer.send(
        "synthesis/support_asked",
        leaders,
        agent=support.synthesis.enrolment.agent,
        url=settings.SITE_URL + reverse("synthesis:support_answer", args=[support.pk]),
    )


def support_declined(support: SupportRequest) -> None:
    """The leader declined: the agent reads their message."""
    mailer.send(
        "synthesis/support_declined",
        [support.synthesis.enrolment.agent.user],
        support=support,
        url=settings.SITE_URL + reverse("synthesis:support_ask", args=[support.synthesis_id]),
    )

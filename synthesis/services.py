"""Operations on the synthesis that also tell people: finalisation and signatures.

E-mails never hold a word of the document: only that something awaits, and a link.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from bpp import mailer
from bpp.people.models import User
from synthesis.models import Capacity, Signature, Status, Synthesis


def _url(synthesis: Synthesis) -> str:
    return settings.SITE_URL + reverse("synthesis:detail", args=[synthesis.pk])


@transaction.atomic
def finalise_synthesis(*, synthesis: Synthesis) -> None:
    """The agent finalises; the leaders are asked to sign."""
    synthesis.finalise()
    mailer.send(
        "synthesis/to_sign",
        synthesis.enrolment.cohort.leaders.all(),
        agent=synthesis.enrolment.agent,
        url=_url(synthesis),
    )


@transaction.atomic
def sign_synthesis(*, synthesis: Synthesis, by: User, capacity: str) -> Signature:
    """Sign; once both have signed, both are told the document is locked."""
    signature = synthesis.sign(by=by, capacity=capacity)
    agent = synthesis.enrolment.agent
    leaders = list(synthesis.enrolment.cohort.leaders.all())
    if synthesis.status == Status.SIGNED:
        mailer.send("synthesis/signed", [agent.user, *leaders], agent=agent, url=_url(synthesis))
    elif capacity == Capacity.AGENT:
        mailer.send("synthesis/to_sign", leaders, agent=agent, url=_url(synthesis))
    return signature

"""Operations on the synthesis that also tell people: finalisation and signatures."""

from django.db import transaction

from bpp.people.models import User
from synthesis import emails
from synthesis.models import Capacity, Signature, Status, Synthesis


@transaction.atomic
def finalise_synthesis(*, synthesis: Synthesis) -> None:
    """The agent finalises; the leaders are asked to sign."""
    synthesis.finalise()
    emails.to_sign(synthesis, synthesis.enrolment.cohort.leaders.all())


@transaction.atomic
def sign_synthesis(*, synthesis: Synthesis, by: User, capacity: str) -> Signature:
    """Sign; once both have signed, both are told the document is locked."""
    signature = synthesis.sign(by=by, capacity=capacity)
    leaders = list(synthesis.enrolment.cohort.leaders.all())
    if synthesis.status == Status.SIGNED:
        emails.signed(synthesis, leaders)
    elif capacity == Capacity.AGENT:
        emails.to_sign(synthesis, leaders)
    return signature

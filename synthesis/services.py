"""Operations on the synthesis that also tell people: finalisation, signatures, sharing."""

from functools import partial

from django.db import transaction

from bpp.people.models import User
from synthesis import emails
from synthesis.models import (
    Capacity,
    ShareRequest,
    Signature,
    Status,
    Synthesis,
    ask,
    grant,
)
from synthesis.pdf import keep_signed_pdf


@transaction.atomic
def finalise_synthesis(*, synthesis: Synthesis) -> None:
    """The agent finalises; the leaders are asked to sign."""
    synthesis.finalise()
    emails.to_sign(synthesis, synthesis.enrolment.cohort.leaders.all())


@transaction.atomic
def sign_synthesis(*, synthesis: Synthesis, by: User, capacity: str) -> Signature:
    """Sign; once both have signed, both are told the document is locked, and its PDF is
    rendered and kept.

    The PDF is rendered once the signature is committed: a render that fails (logged)
    cannot undo the signature, nor does the signature wait for the render holding the
    synthesis's lock. A PDF not kept is rendered on its first download instead.
    """
    signature = synthesis.sign(by=by, capacity=capacity)
    leaders = list(synthesis.enrolment.cohort.leaders.all())
    if synthesis.status == Status.SIGNED:
        emails.signed(synthesis, leaders)
        transaction.on_commit(partial(keep_signed_pdf, synthesis=synthesis), robust=True)
    elif capacity == Capacity.AGENT:
        emails.to_sign(synthesis, leaders)
    return signature


@transaction.atomic
def ask_to_share(*, synthesis: Synthesis, audience: str, by: User, message: str) -> ShareRequest:
    """The manager or HR asks the agent to share the synthesis; the agent is told."""
    share_request = ask(synthesis, audience, by=by, message=message)
    emails.share_requested(share_request)
    return share_request


@transaction.atomic
def answer_share_request(*, share_request: ShareRequest, accepted: bool) -> None:
    """The agent accepts or declines; the asker is told which, and nothing else."""
    share_request.answer(accepted=accepted)
    emails.share_answered(share_request)


@transaction.atomic
def share_synthesis(*, synthesis: Synthesis, audience: str) -> bool:
    """The agent shares unasked (`grant`); a pending ask of that recipient is thereby
    accepted, and its asker told. False if the recipient already had access."""
    granted = grant(synthesis, audience)
    for share_request in synthesis.share_requests.awaiting_answer().filter(audience=audience):
        share_request.synthesis = synthesis
        answer_share_request(share_request=share_request, accepted=True)
    return granted

"""Operations on the synthesis that also tell people: finalisation, signatures, sharing."""

import copy
import datetime
from functools import partial

from django.db import IntegrityError, transaction

from bpp.people.models import User
from cohorts.models import ExerciseAnswer, ProgrammeItem, Session, SessionKind
from cohorts.services import schedule_session
from synthesis import emails
from synthesis.forms import MAX_TEXT
from synthesis.models import (
    Capacity,
    ConflictError,
    DraftConflictError,
    ShareRequest,
    Signature,
    Status,
    SupportRequest,
    SupportRequestError,
    Synthesis,
    SynthesisError,
    ask,
    empty_content,
    grant,
)
from synthesis.pdf import keep_signed_pdf
from synthesis.sections import TEXT_SECTIONS, Section


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


def section_fed_by(item: ProgrammeItem) -> Section | None:
    """The text section of the synthesis an exercise feeds, if any."""
    return next((s for s in TEXT_SECTIONS if s.key == item.section), None)


@transaction.atomic
def copy_answer_to_synthesis(*, answer: ExerciseAnswer, by: User) -> Section:
    """Append the agent's answer to the section its exercise feeds, in the agent's draft,
    as if they had pasted it in the editor, through the editor's own `save_draft`: it is
    refused, never overwriting, when the draft or the version moved on meanwhile."""
    section = section_fed_by(answer.item)
    if section is None:
        raise SynthesisError("Cet exercice n’alimente aucune section de la synthèse.")
    synthesis = Synthesis.objects.alive().filter(enrolment=answer.enrolment_id).first()
    if synthesis is None:
        raise SynthesisError("Votre document de synthèse n’est pas encore ouvert.")
    if not synthesis.is_editable:
        raise SynthesisError(
            "Votre synthèse est finalisée : rouvrez-la pour y ajouter cette réponse."
        )
    draft = synthesis.drafts.filter(author=by).first()
    source = draft or synthesis.current()
    content = copy.deepcopy(source.content) if source else empty_content()
    content.pop("header", None)  # a version's header is set again when it is saved
    existing = content.setdefault("sections", {}).get(section.key, "").rstrip()
    addition = answer.text.strip()
    if addition in existing:
        raise SynthesisError(
            f"Cette réponse figure déjà dans la section {section.number} de votre synthèse."
        )
    text = f"{existing}\n\n{addition}" if existing else addition
    if len(text) > MAX_TEXT:
        raise SynthesisError(
            f"La section {section.number} dépasserait {MAX_TEXT:,} caractères : raccourcissez-la "
            "ou la réponse avant de copier.".replace(",", "\u202f")
        )
    content["sections"][section.key] = text
    try:
        synthesis.save_draft(
            by=by,
            based_on=draft.based_on if draft else synthesis.version,
            revision=draft.revision if draft else 0,
            content=content,
            personal_situation=source.personal_situation if source else "",
        )
    except DraftConflictError:
        raise SynthesisError(
            "Votre brouillon vient d’être modifié depuis une autre fenêtre : copiez à nouveau "
            "cette réponse."
        ) from None
    except ConflictError:
        raise SynthesisError(
            "Votre brouillon a été écrit à partir d’une version plus ancienne de la synthèse : "
            "ouvrez-la pour comparer et enregistrer, puis copiez à nouveau cette réponse."
        ) from None
    return section


@transaction.atomic
def ask_support(*, synthesis: Synthesis, message: str) -> SupportRequest:
    """The agent asks for a support interview; the cohort's leaders are told."""
    refusal = SupportRequest.asking_refusal(synthesis)
    if refusal:
        raise SupportRequestError(refusal)
    try:
        with transaction.atomic():
            support = SupportRequest.objects.create(synthesis=synthesis, message=message)
    except IntegrityError:  # asked twice at once (a double click): the constraint decides
        raise SupportRequestError(
            "Vous avez déjà demandé un entretien d’appui : l’animateur va vous répondre."
        ) from None
    emails.support_asked(support, synthesis.enrolment.cohort.leaders.all())
    return support


@transaction.atomic
def schedule_support_interview(
    *,
    support: SupportRequest,
    by: User,
    starts_at: datetime.datetime,
    duration_minutes: int,
    place: str,
    video_link: str,
) -> Session:
    """A leader schedules the interview asked for: the agent is convoked to it.

    The request's row is locked first, so that a second leader waits and is then told
    someone answered; the conditional UPDATE of `answered` holds where rows are not locked.
    """
    locked = SupportRequest.objects.select_for_update().get(pk=support.pk)
    if not locked.is_open:
        raise SupportRequestError("Un autre animateur a déjà répondu à cette demande.")
    enrolment = support.synthesis.enrolment
    if enrolment.withdrawn_at is not None:
        raise SupportRequestError("L’agent a quitté la promotion : déclinez sa demande.")
    session = schedule_session(
        cohort=enrolment.cohort,
        participants=[enrolment],
        phase=enrolment.cohort.current_phase,
        kind=SessionKind.SUPPORT_INTERVIEW,
        title="Entretien d’appui",
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place,
        video_link=video_link,
    )
    support.answered(status=SupportRequest.Status.SCHEDULED, session=session, decided_by=by)
    return session


@transaction.atomic
def decline_support(*, support: SupportRequest, by: User, message: str) -> None:
    """A leader declines, saying why (or what instead) to the agent."""
    support.answered(status=SupportRequest.Status.DECLINED, decline_message=message, decided_by=by)
    emails.support_declined(support)

"""Operations on cohorts that span several models and run in one transaction."""

import datetime

from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from bpp.people.models import Organisation, Role, User
from bpp.requests import deadlines
from bpp.requests import services as request_services
from bpp.requests.models import ReviewRequest, Status
from bpp.templatetags import french
from cohorts import emails, queue, signals
from cohorts.models import (
    MAX_WRONG_CODES,
    WRONG_CODES_PERIOD,
    AlreadySigned,
    Attendance,
    Cohort,
    CohortError,
    CohortEvent,
    CohortTransition,
    Enrolment,
    Evaluation,
    ExerciseAnswer,
    ProgrammeDelivery,
    ProgrammeItem,
    Session,
    WrongAttendanceCode,
    clock_time,
    effective_items,
    waiting_for_a_seat,
)
from cohorts.permissions import eligible_leaders
from cohorts.working_time import working_time_refusal


@transaction.atomic
def place_agents(
    *,
    cohort: Cohort,
    review_requests: list[ReviewRequest],
    by: User,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> list[Enrolment]:
    """Seat the agents of approved requests in one cohort, priority publics first.

    A choice that departs from the queue's order (cohorts.queue) needs the CMC's reason,
    kept on each enrolment it concerns. Placements into one cohort take turns on its row
    lock, so the rules are checked against what the previous placement committed.
    """
    now = now or timezone.now()
    reason = reason.strip()
    Cohort.objects.select_for_update().filter(pk=cohort.pk).exists()
    cohort = Cohort.objects.with_start().select_related("organisation").get(pk=cohort.pk)
    ids = list(dict.fromkeys(r.pk for r in review_requests))
    if not ids:
        raise CohortError("Choisissez au moins un agent à inscrire.")
    chosen = list(
        waiting_for_a_seat(
            ReviewRequest.objects.filter(pk__in=ids, organisation_id=cohort.organisation_id)
        ).select_related("agent__user")
    )
    for review_request in review_requests:
        if review_request.pk not in {r.pk for r in chosen}:
            _seat(review_request, cohort, by=by, reason="", now=now)  # raises why it cannot
    if cohort.free_seats == 0:
        raise CohortError(f"La promotion « {cohort} » est complète.")
    if len(chosen) > cohort.free_seats:
        raise CohortError(
            f"La promotion « {cohort} » n’a plus que {cohort.free_seats} place"
            f"{'s' if cohort.free_seats > 1 else ''} : choisissez moins d’agents."
        )
    departing = {d.review_request.pk for d in queue.departures(cohort, chosen)}
    if departing and len(reason) < queue.REASON_MIN_LENGTH:
        raise CohortError(
            "Ce choix déroge à l’ordre de la file d’attente : indiquez pourquoi, en "
            f"{queue.REASON_MIN_LENGTH} caractères au moins."
        )
    enrolments = [
        _seat(r, cohort, by=by, reason=reason if r.pk in departing else "", now=now) for r in chosen
    ]
    signals.send_on_commit(signals.agents_placed, enrolment_ids=[e.pk for e in enrolments])
    return enrolments


def place_agent(
    *,
    review_request: ReviewRequest,
    cohort: Cohort,
    by: User,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> Enrolment:
    """Give the agent of an approved request a seat in a cohort (see `place_agents`)."""
    [enrolment] = place_agents(
        cohort=cohort, review_requests=[review_request], by=by, reason=reason, now=now
    )
    return enrolment


def _seat(
    review_request: ReviewRequest,
    cohort: Cohort,
    *,
    by: User,
    reason: str,
    now: datetime.datetime,
) -> Enrolment:
    """Take a seat for one agent.

    The seat is taken by one conditional UPDATE on the cohort row: PostgreSQL
    re-checks `seats_taken < capacity` after any concurrent placement commits,
    so the last seat goes to exactly one agent; the check constraint backs it.
    """
    locked = ReviewRequest.objects.select_for_update(of=("self",)).get(pk=review_request.pk)
    if locked.state_on(deadlines.legal_today(now)) != Status.APPROVED:
        raise CohortError(
            f"La demande {french.elide('de', locked.agent)} n’est pas acceptée : pas de place."
        )
    if locked.organisation_id != cohort.organisation_id:
        raise CohortError("Cette promotion n’est pas proposée par l’employeur de l’agent.")
    if Enrolment.objects.current().filter(agent_id=locked.agent_id).exists():
        raise CohortError(f"{locked.agent} a déjà une place dans une promotion.")
    taken = (
        Cohort.objects.open_for_placement()
        .filter(pk=cohort.pk)
        .update(seats_taken=F("seats_taken") + 1)
    )
    if not taken:
        raise CohortError(f"La promotion « {cohort} » est complète ou n’est plus ouverte.")
    enrolment = Enrolment.objects.create(
        cohort=cohort,
        agent_id=locked.agent_id,
        request=locked,
        placed_at=now,
        placed_by=by,
        placement_reason=reason,
    )
    ReviewRequest.objects.filter(pk=locked.pk).update(seated=True)
    emails.convocation(enrolment)
    return enrolment


@transaction.atomic
def withdraw_agent(
    *, enrolment: Enrolment, reason: str = "", now: datetime.datetime | None = None
) -> None:
    """The agent leaves the cohort: the seat is freed for the next waiting agent, and their
    accompaniment ends there: they get the satisfaction questionnaire at once."""
    now = now or timezone.now()
    freed = (
        Enrolment.objects.current()
        .filter(pk=enrolment.pk)
        .update(withdrawn_at=now, withdrawal_reason=reason.strip())
    )
    if not freed:
        raise CohortError("Vous avez déjà quitté cette promotion.")
    Cohort.objects.filter(pk=enrolment.cohort_id).update(seats_taken=F("seats_taken") - 1)
    ReviewRequest.objects.filter(pk=enrolment.request_id).update(seated=False)
    # Leaving the cohort ends the review: the request is withdrawn (the agent may ask again).
    if enrolment.request.current_state == Status.APPROVED:
        request_services.withdraw_request(
            review_request=enrolment.request,
            reason=reason or "L’agent a quitté sa promotion.",
            now=now,
        )
    send_evaluations(
        enrolments=Enrolment.objects.filter(pk=enrolment.pk), kind=Evaluation.Kind.HOT, now=now
    )
    _propose_next(enrolment.cohort)


@transaction.atomic
def set_leaders(*, cohort: Cohort, leaders, by: User, now: datetime.datetime | None = None) -> None:
    """Make `leaders` the cohort's leaders, and record who joined and who left, by whom.

    Leading a cohort opens its agents' syntheses: every change is in the cohort's history.
    """
    now = now or timezone.now()
    locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
    before = set(cohort.leaders.all())
    after = set(leaders)
    if after == before:
        return
    if locked.concluded_at is not None:
        raise CohortError("La promotion est terminée : ses animateurs ne changent plus.")
    eligible = set(
        eligible_leaders(locked.organisation, locked.provider).filter(pk__in=[u.pk for u in after])
    )
    if after - eligible:
        names = ", ".join(sorted(u.get_full_name() for u in after - eligible))
        raise CohortError(
            f"Ne peut animer cette promotion : {names}. Seuls ses conseillers mobilité-carrière"
            " (ou les consultants du prestataire sous marché avec l’employeur) l’animent."
        )
    cohort.leaders.set(after)
    changes = [(CohortEvent.LEADER_ADDED, u) for u in after - before] + [
        (CohortEvent.LEADER_REMOVED, u) for u in before - after
    ]
    CohortTransition.objects.bulk_create(
        CohortTransition(cohort=cohort, kind=kind, leader=leader, by=by, at=now)
        for kind, leader in sorted(changes, key=lambda c: (c[0], c[1].get_full_name(), c[1].pk))
    )
    # The agents already placed are told who joins and who leaves: a leader who joins
    # reads their synthesis only once they agree (synthesis.permissions).
    emails.leaders_changed(cohort, added=after - before, removed=before - after)


def _propose_next(cohort: Cohort) -> None:
    """A seat is free: tell the cohort's leaders and CMCs who comes next in the queue."""
    following = (
        waiting_for_a_seat(
            ReviewRequest.objects.filter(organisation=cohort.organisation).filter(
                queue.suits_q(cohort)
            )
        )
        .select_related("agent__user")
        .first()
    )
    recipients = {
        *cohort.leaders.all(),
        *User.objects.holding(Role.CMC, cohort.organisation),
    }
    emails.seat_freed(cohort, recipients, following=following)


# Sessions --------------------------------------------------------------------


def _on_working_time(starts_at: datetime.datetime, duration_minutes: int) -> None:
    refusal = working_time_refusal(starts_at, duration_minutes)
    if refusal:
        raise CohortError(refusal)


@transaction.atomic
def schedule_session(
    *, cohort: Cohort, participants: list[Enrolment] | None = None, **fields
) -> Session:
    """Create a session and invite its participants (all the cohort's agents by default)."""
    _on_working_time(fields["starts_at"], fields.get("duration_minutes", 180))
    session = Session.objects.create(cohort=cohort, **fields)
    if participants is None:
        participants = list(cohort.enrolments.current())
    session.participants.set(participants)
    emails.session_changed(session, name="session_scheduled")
    return session


@transaction.atomic
def move_session(
    *,
    session: Session,
    starts_at: datetime.datetime,
    duration_minutes: int,
    place: str,
    video_link: str,
) -> None:
    """Change the time or place of a session; the same calendar event is updated."""
    _on_working_time(starts_at, duration_minutes)
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if locked.cancelled_at:
        raise CohortError("Cette séance est annulée.")
    Session.objects.filter(pk=session.pk).update(
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place,
        video_link=video_link,
        sequence=F("sequence") + 1,
    )
    session.refresh_from_db()
    emails.session_changed(session, name="session_moved")


@transaction.atomic
def cancel_session(*, session: Session, now: datetime.datetime | None = None) -> None:
    cancelled = Session.objects.filter(pk=session.pk, cancelled_at__isnull=True).update(
        cancelled_at=now or timezone.now(), sequence=F("sequence") + 1
    )
    if not cancelled:
        raise CohortError("Cette séance est déjà annulée.")
    session.refresh_from_db()
    emails.session_changed(session, name="session_cancelled")


@transaction.atomic
def schedule_interviews(
    *, cohort: Cohort, slots: list[tuple[Enrolment, datetime.datetime]], **fields
) -> list[Session]:
    """Schedule one individual interview per agent at their slot; each is convoked alone."""
    return [
        schedule_session(cohort=cohort, participants=[enrolment], starts_at=starts_at, **fields)
        for enrolment, starts_at in slots
    ]


# Attendance ------------------------------------------------------------------


def sign_presence(
    *,
    session: Session,
    enrolment: Enrolment,
    method: str,
    code: str = "",
    now: datetime.datetime | None = None,
) -> Attendance:
    """The agent signs their own presence: with the code shown in the room, or for a
    session with a video link by confirming from the session page.

    The session row is locked, so a signature and the certification of the sheet never
    cross. A wrong code is recorded (outside the refusal, which would roll it back): after
    MAX_WRONG_CODES within WRONG_CODES_PERIOD, the agent waits.
    """
    now = now or timezone.now()
    wrong_codes = None
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        refusal = locked.signing_refusal(now)
        if refusal:
            raise CohortError(refusal)
        existing = Attendance.objects.filter(session=locked, enrolment=enrolment).first()
        if existing is not None and existing.is_signed_by_the_agent:
            raise AlreadySigned(
                f"Votre présence est déjà signée depuis {clock_time(existing.signed_at)}."
            )
        if method == Attendance.Method.REMOTE and not locked.allows_remote_confirmation:
            raise CohortError(
                "Cette séance a lieu sur place : signez avec le code affiché par l’animateur."
            )
        if method == Attendance.Method.CODE:
            recent = WrongAttendanceCode.objects.filter(
                session=locked, enrolment=enrolment, at__gt=now - WRONG_CODES_PERIOD
            )
            if recent.count() >= MAX_WRONG_CODES:
                raise CohortError(_too_many_wrong_codes())
            if not locked.accepts_code(code, now):
                WrongAttendanceCode.objects.create(session=locked, enrolment=enrolment, at=now)
                wrong_codes = recent.count()
        if wrong_codes is None:
            # Seen leaving by the leader before signing: the signature does not undo it.
            status = (
                existing.status
                if existing is not None and existing.status == Attendance.Status.LEFT_EARLY
                else Attendance.Status.PRESENT
            )
            attendance, _ = Attendance.objects.update_or_create(
                session=locked,
                enrolment=enrolment,
                defaults={
                    "status": status,
                    "method": method,
                    "signed_at": now,
                    "recorded_by_id": enrolment.agent.user_id,
                    "recorded_at": now,
                },
            )
            return attendance
    left = MAX_WRONG_CODES - wrong_codes
    if not left:
        raise CohortError(_too_many_wrong_codes())
    raise CohortError(
        "Ce code n’est pas le bon, ou il a expiré : saisissez celui que l’animateur affiche "
        f"maintenant. Encore {left} essai{'s' if left > 1 else ''}."
    )


def _too_many_wrong_codes() -> str:
    minutes = int(WRONG_CODES_PERIOD.total_seconds() // 60)
    return (
        f"Trop de codes erronés : réessayez dans {minutes} minutes, "
        "ou demandez à l’animateur de relever votre présence."
    )


@transaction.atomic
def record_attendance(
    *,
    session: Session,
    statuses: dict[int, str],
    by: User,
    now: datetime.datetime | None = None,
) -> int:
    """The leader records the presence of participants ({enrolment id: status}).

    Only the statuses that change are written: an agent's own signature stays theirs.
    Returns how many changed.
    """
    now = now or timezone.now()
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if locked.cancelled_at:
        raise CohortError("Cette séance est annulée.")
    if locked.is_attendance_certified:
        raise CohortError("La feuille d’émargement est certifiée : elle ne change plus.")
    existing = {a.enrolment_id: a for a in Attendance.objects.filter(session=locked)}
    changed = 0
    for enrolment_id, status in statuses.items():
        attendance = existing.get(enrolment_id)
        if attendance is None:
            Attendance.objects.create(
                session=locked,
                enrolment_id=enrolment_id,
                status=status,
                recorded_by=by,
                recorded_at=now,
            )
        elif attendance.status != status:
            Attendance.objects.filter(pk=attendance.pk).update(
                status=status, recorded_by=by, recorded_at=now
            )
        else:
            continue
        changed += 1
    return changed


@transaction.atomic
def certify_attendance(*, session: Session, by: User, now: datetime.datetime | None = None) -> None:
    """The leader certifies the attendance sheet: every participant has a status, the
    session has begun; from then on nothing changes on it."""
    now = now or timezone.now()
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if locked.cancelled_at:
        raise CohortError("Cette séance est annulée.")
    if locked.is_attendance_certified:
        raise CohortError("La feuille d’émargement est déjà certifiée.")
    if now < locked.starts_at:
        raise CohortError("La séance n’a pas commencé : l’émargement se certifie après.")
    missing = locked.participants.exclude(attendances__session=locked).count()
    if missing:
        raise CohortError(
            f"{missing} participant{'s' if missing > 1 else ''} "
            f"{'n’ont' if missing > 1 else 'n’a'} pas de présence relevée : "
            "complétez l’émargement avant de le certifier."
        )
    Session.objects.filter(pk=session.pk).update(
        attendance_certified_at=now, attendance_certified_by=by
    )
    session.refresh_from_db()


# Progress and evaluations ----------------------------------------------------


@transaction.atomic
def advance_cohort(*, cohort: Cohort, by: User, now: datetime.datetime | None = None) -> None:
    """Move the cohort to its next phase; at its conclusion, each agent gets the hot
    questionnaire (in the same transaction, so a conclusion never goes without it)."""
    now = now or timezone.now()
    if cohort.advance_phase(by=by, now=now):
        # Every agent is asked: those who left already were, when they left (once per kind).
        send_evaluations(enrolments=cohort.enrolments.all(), kind=Evaluation.Kind.HOT, now=now)
        signals.send_on_commit(signals.cohort_concluded, cohort_id=cohort.pk)


# Questionnaires written and sent per batch: the first run of the cold questionnaires
# after a deployment finds years of concluded cohorts, thousands of agents.
EVALUATIONS_BATCH = 500


def send_evaluations(*, enrolments, kind: str, now: datetime.datetime | None = None) -> int:
    """Send a questionnaire of `kind` to each enrolment that has not had one (idempotent);
    return how many were sent."""
    now = now or timezone.now()
    already = Evaluation.objects.filter(kind=kind).values("enrolment_id")
    pending = (
        enrolments.exclude(pk__in=already).select_related("agent__user", "cohort").order_by("pk")
    )
    sent = after = 0
    while batch := list(pending.filter(pk__gt=after)[:EVALUATIONS_BATCH]):
        for evaluation in Evaluation.objects.bulk_create(
            Evaluation(enrolment=e, kind=kind, sent_at=now) for e in batch
        ):
            emails.evaluation_sent(evaluation)
        sent, after = sent + len(batch), batch[-1].pk
    return sent


# The programme ----------------------------------------------------------------------


def _following(organisation: Organisation) -> QuerySet:
    """The enrolments of the employer's cohorts that follow no programme of their own."""
    own = ProgrammeItem.objects.filter(cohort=OuterRef("cohort"))
    return Enrolment.objects.filter(cohort__organisation=organisation).exclude(Exists(own))


def _move_records(old: ProgrammeItem, new: ProgrammeItem, enrolments: QuerySet) -> None:
    """What was sent and answered for `old` goes to `new`, for these enrolments (unless
    `new` already holds theirs)."""
    for model in (ProgrammeDelivery, ExerciseAnswer):
        taken = model.objects.filter(item=new).values("enrolment")
        model.objects.filter(item=old, enrolment__in=enrolments).exclude(
            enrolment__in=taken
        ).update(item=new)


def _own_items(*, cohort: Cohort | None, organisation: Organisation | None) -> QuerySet:
    if cohort is not None:
        Cohort.objects.select_for_update().filter(pk=cohort.pk).exists()
        return ProgrammeItem.objects.of_cohort(cohort)
    Organisation.objects.select_for_update().filter(pk=organisation.pk).exists()
    return ProgrammeItem.objects.of_employer(organisation)


@transaction.atomic
def customise_programme(
    *, cohort: Cohort | None = None, organisation: Organisation | None = None
) -> list[ProgrammeItem]:
    """Give the cohort (its leader) or the employer (its HR admin) a programme of its own:
    a copy of the one it followed, to edit. What was sent and answered follows the copy."""
    if _own_items(cohort=cohort, organisation=organisation).exists():
        raise CohortError("Ce programme est déjà personnalisé : modifiez-le directement.")
    if cohort is not None:
        source, enrolments = effective_items(cohort), cohort.enrolments.all()
    else:
        source, enrolments = ProgrammeItem.objects.national().in_order(), _following(organisation)
    copies = []
    for item in source:
        copy = item.copy_to(organisation=organisation, cohort=cohort)
        copy.save()
        _move_records(item, copy, enrolments)
        copies.append(copy)
    return copies


@transaction.atomic
def reset_programme(*, cohort: Cohort | None = None, organisation: Organisation | None = None):
    """Abandon the cohort's or the employer's own programme: it follows the next one again
    (the employer's, or the national). What was sent and answered goes back to the items
    copied; an exercise added here that an agent answered keeps the programme."""
    items = list(_own_items(cohort=cohort, organisation=organisation))
    enrolments = cohort.enrolments.all() if cohort is not None else _following(organisation)
    for item in items:
        if item.copied_from_id is not None:
            _move_records(item, item.copied_from, enrolments)
    if ExerciseAnswer.objects.filter(item__in=items).exists():
        raise CohortError(
            "Des agents ont répondu à des exercices ajoutés à ce programme : il ne peut pas "
            "être abandonné sans perdre leurs réponses."
        )
    ProgrammeItem.objects.filter(pk__in=[item.pk for item in items]).delete()


def delete_programme_item(*, item: ProgrammeItem) -> None:
    """Delete an item of an employer's or a cohort's programme; not an answered exercise."""
    if ExerciseAnswer.objects.filter(item=item).exists():
        raise CohortError(
            "Des agents ont répondu à cet exercice : modifiez-le plutôt que de le supprimer."
        )
    item.delete()

"""
Who may run the offer and its cohorts, follow a session, answer a questionnaire.

Views load their object on their first line through one of the `load_…` functions:
it returns the object for this user and purpose, or raises 404 (what the user may not
see does not exist for them) or 403 (what they see but may not do).
"""

import datetime
import enum

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bpp.http import Gone
from bpp.people.models import Organisation, Provider, Role, Training, User
from bpp.people.permissions import has_role
from bpp.requests import deadlines
from bpp.requests.models import ReviewRequest
from cohorts.models import (
    Cohort,
    Enrolment,
    Evaluation,
    ExerciseAnswer,
    ItemKind,
    Phase,
    ProgrammeItem,
    Session,
    effective_items,
    programme_of,
)


class Purpose(enum.Enum):
    FOLLOW = "follow"  # read and run: the employer's staff (HR, CMC, HR admin), the leaders
    MANAGE = "manage"  # edit, place agents: the employer's staff
    OVERRIDE = "override"  # allow a start below 6 agents: the employer's HR admin


def organisations_running_cohorts(user: User) -> list[Organisation]:
    """The employers whose offer the user manages: as HR, CMC or HR admin."""
    found = {}
    for role in (Role.HR, Role.CMC, Role.HR_ADMIN):
        for organisation in user.organisations_for(role):
            found[organisation.pk] = organisation
    return list(found.values())


def may_manage_cohorts(user: User, organisation: Organisation | None = None) -> bool:
    organisations = organisations_running_cohorts(user)
    if organisation is None:
        return bool(organisations)
    return any(o.pk == organisation.pk for o in organisations)


def may_see_cohorts(user: User) -> bool:
    """The cohorts dashboard: the employer's staff, and the providers' consultants."""
    return may_manage_cohorts(user) or has_role(user, Role.PROVIDER)


def may_read_offer(user: User) -> bool:
    """The offer: agents read their employer's, the staff the one they publish."""
    return may_manage_cohorts(user) or has_role(user, Role.AGENT)


def offer_organisations(user: User) -> list[Organisation]:
    return organisations_running_cohorts(user) or user.organisations_for(Role.AGENT)


def may_override_minimum(user: User, cohort: Cohort) -> bool:
    return has_role(user, Role.HR_ADMIN, cohort.organisation)


def is_leader(user: User, cohort: Cohort) -> bool:
    return Cohort.objects.led_by(user).filter(pk=cohort.pk).exists()


# Who may lead ------------------------------------------------------------------------


def eligible_leaders(organisation: Organisation, provider: Provider | None) -> QuerySet:
    """Who may lead a cohort of `organisation`: its CMCs; for a provider-led cohort, the
    provider's consultants, and only while the provider is under contract with it.

    Either way, a professional trained in accompanying careers (guide, "Qui anime le bilan
    de parcours ?"): their training is on record.
    """
    users = User.objects.filter(is_active=True).filter(
        Exists(Training.objects.filter(user=OuterRef("pk")))
    )
    if provider is None:
        users = users.filter(
            role_assignments__role=Role.CMC, role_assignments__organisation=organisation
        )
    elif Provider.objects.contracted_by([organisation], on=deadlines.legal_today()).filter(
        pk=provider.pk
    ):
        users = users.filter(
            role_assignments__role=Role.PROVIDER, role_assignments__provider=provider
        )
    else:
        users = users.none()
    return users.distinct().order_by("last_name", "first_name", "pk")


def works_for_provider(user: User, cohort: Cohort) -> bool:
    return cohort.provider_id is not None and any(
        a.role == Role.PROVIDER and a.provider_id == cohort.provider_id
        for a in user.role_assignments_cache
    )


def provider_access_ended(user: User, cohort: Cohort, now: datetime.datetime) -> bool:
    """A provider keeps nothing: N days after the end, its cohort pages are gone for it."""
    ends = cohort.provider_access_ends
    return ends is not None and now >= ends and works_for_provider(user, cohort)


def may_see_agenda(user: User) -> bool:
    """The week view of the sessions one leads: for CMCs and providers' consultants."""
    return has_role(user, Role.CMC) or has_role(user, Role.PROVIDER)


def cohorts_led_by(user: User, now: datetime.datetime) -> QuerySet:
    """The cohorts `user` leads and may still open (as `provider_access_ended`, for a
    queryset), cancelled ones left out."""
    led = Cohort.objects.led_by(user).filter(cancelled_at__isnull=True)
    providers = [a.provider_id for a in user.role_assignments_cache if a.role == Role.PROVIDER]
    if providers:
        cutoff = now - datetime.timedelta(days=settings.PROVIDER_ACCESS_DAYS)
        led = led.exclude(provider__in=providers, concluded_at__lte=cutoff)
    return led


def sessions_in_calendar_of(user: User, now: datetime.datetime) -> QuerySet:
    """The sessions of `user`'s calendar subscription, cancelled ones left out: those of
    the cohorts they lead, and those they attend (as `Enrolment.visible_sessions`: from
    phase 2 on, once they signed the contract)."""
    # One filter() call: the three conditions on participants hold for the same enrolment.
    attended = Session.objects.filter(
        Q(participants__agent__user=user, participants__withdrawn_at__isnull=True)
        & (Q(phase=Phase.LAUNCH) | Q(participants__contract_signed_at__isnull=False))
    )
    return Session.objects.filter(
        Q(cohort__in=cohorts_led_by(user, now)) | Q(pk__in=attended.values("pk")),
        cancelled_at__isnull=True,
    )


def cohorts_for(user: User) -> QuerySet:
    """The cohorts a user may open: their employers' offer (staff), or those they lead."""
    return Cohort.objects.filter(
        Q(organisation__in=organisations_running_cohorts(user))
        | Q(pk__in=Cohort.objects.led_by(user))
    )


def load_cohort(user: User, pk: int, purpose: Purpose = Purpose.FOLLOW) -> Cohort:
    """The cohort `pk` for `user` and `purpose`, or 404 (403 for a missing override right)."""
    if purpose is Purpose.MANAGE:
        cohorts = Cohort.objects.filter(organisation__in=organisations_running_cohorts(user))
    else:
        cohorts = cohorts_for(user)
    cohort = get_object_or_404(
        cohorts.select_related("organisation", "provider", "provider_contract").with_start(), pk=pk
    )
    if purpose is Purpose.OVERRIDE and not may_override_minimum(user, cohort):
        raise PermissionDenied
    if provider_access_ended(user, cohort, timezone.now()):
        raise Gone
    return cohort


def may_certify_attendance(user: User, session: Session) -> bool:
    """The attendance sheet is certified by a leader of the cohort, who was there."""
    return is_leader(user, session.cohort)


def load_session(
    user: User, pk: int, *, as_participant: bool = False, to_certify: bool = False
) -> Session:
    """A session of a cohort the user runs; with `as_participant`, also one they attend
    (from phase 2 on, only once they signed the contract of phase 1); with `to_certify`,
    403 unless the user leads the cohort."""
    runs = Q(cohort__in=cohorts_for(user))
    if as_participant:
        runs |= Q(participants__agent__user=user) & (
            Q(phase=Phase.LAUNCH) | Q(participants__contract_signed_at__isnull=False)
        )
    session = get_object_or_404(
        Session.objects.select_related("cohort__organisation").filter(runs).distinct(), pk=pk
    )
    if provider_access_ended(user, session.cohort, timezone.now()):
        raise Gone
    if to_certify and not may_certify_attendance(user, session):
        raise PermissionDenied
    return session


def load_own_participation(user: User, pk: int) -> tuple[Session, Enrolment]:
    """A session the agent takes part in, with their enrolment, to sign their presence, or
    404: they are one of its participants, still in the cohort, and (from phase 2 on) have
    signed the contract. Whether signing is open at this time is the session's rule."""
    enrolment = get_object_or_404(
        Enrolment.objects.current()
        .select_related("agent__user")
        .filter(agent__user=user, sessions__pk=pk)
    )
    sessions = Session.objects.select_related("cohort__organisation")
    if enrolment.contract_signed_at is None:
        sessions = sessions.filter(phase=Phase.LAUNCH)
    return get_object_or_404(sessions, pk=pk), enrolment


def load_own_enrolment(user: User, pk: int | None = None) -> Enrolment:
    """The agent's current enrolment (`pk`, or the only one they have), or 404."""
    enrolments = Enrolment.objects.select_related("cohort").current().filter(agent__user=user)
    return get_object_or_404(enrolments, **({"pk": pk} if pk is not None else {}))


def load_own_evaluation(user: User, pk: int) -> Evaluation:
    return get_object_or_404(
        Evaluation.objects.select_related("enrolment__cohort").filter(enrolment__agent__user=user),
        pk=pk,
    )


def load_request_to_place(user: User, cohort: Cohort, pk: int) -> ReviewRequest:
    """A request of the cohort's employer, which the user (staff) may place, or 404."""
    return get_object_or_404(ReviewRequest.objects.filter(organisation=cohort.organisation), pk=pk)


# The programme and the workbook -------------------------------------------------------


def load_own_exercise(user: User, pk: int, today: datetime.date) -> tuple[Enrolment, ProgrammeItem]:
    """An exercise of the programme the agent's cohort follows, open to them (sent, or due
    in a phase open to them), with their current enrolment; 404 otherwise. `pk` may name
    the item it was copied from (the link of a message sent before a customisation)."""
    enrolment = load_own_enrolment(user)
    exercises = effective_items(enrolment.cohort).filter(kind=ItemKind.EXERCISE)
    item = exercises.filter(Q(pk=pk) | Q(copied_from=pk)).order_by("pk").first()
    if item is None:
        raise Http404("Aucun exercice de ce numéro dans votre programme.")
    if not any(line.item.pk == item.pk and line.is_open for line in programme_of(enrolment, today)):
        raise Http404("Cet exercice ne vous est pas encore ouvert.")
    return enrolment, item


def load_own_answer(user: User, pk: int) -> ExerciseAnswer:
    """The agent's own answer to the exercise `pk`, in their current cohort; 404 otherwise.
    Nobody else loads an answer through here: the leader reads those shown to them."""
    return get_object_or_404(
        ExerciseAnswer.objects.select_related("item", "enrolment__cohort").filter(
            enrolment__in=Enrolment.objects.current().filter(agent__user=user)
        ),
        item=pk,
    )


def answers_shown_to_leader(cohort: Cohort) -> QuerySet:
    """The answers the cohort's agents (still in it) chose to show its leaders: the only
    answers anyone but their author reads."""
    return (
        ExerciseAnswer.objects.shown()
        .filter(enrolment__in=cohort.enrolments.current())
        .select_related("enrolment__agent__user")
        .order_by("item", "enrolment__agent__user__last_name", "pk")
    )


def load_led_programme(user: User, pk: int) -> Cohort:
    """A cohort the user leads, to edit its programme and read the answers shown; 404 for
    anyone else (the employer's staff included: the answers are the leader's to read)."""
    return get_object_or_404(
        cohorts_led_by(user, timezone.now()).select_related("organisation"), pk=pk
    )


def load_employer_programme(user: User, pk: int) -> Organisation:
    """The employer `pk` whose programme the user edits as its HR admin, or 404."""
    for organisation in user.organisations_for(Role.HR_ADMIN):
        if organisation.pk == pk:
            return organisation
    raise Http404("Aucun employeur de ce numéro parmi les vôtres.")


def load_programme_item(user: User, pk: int) -> ProgrammeItem:
    """An item of a programme the user edits: their employer's (HR admin), or a cohort's
    they lead; the national programme is edited by nobody here. 404 otherwise."""
    editable = Q(cohort__in=cohorts_led_by(user, timezone.now())) | Q(
        cohort__isnull=True, organisation__in=user.organisations_for(Role.HR_ADMIN)
    )
    return get_object_or_404(
        ProgrammeItem.objects.select_related("cohort", "organisation").filter(editable), pk=pk
    )

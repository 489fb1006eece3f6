"""
The programme of a cohort: messages and exercises sent between the collective sessions
(strategy: « un programme de mails réguliers »; guide, the questions of phase 2 and the
restitution of phase 3), and the agent's workbook of answers.

Each item is due a number of days after an anchor of its phase (the phase's planned
start, or its first collective session), read from the CURRENT dates: moving a phase
moves its messages, nothing per agent is planned in advance to go stale.

Three programmes may exist; a cohort follows exactly one, the most specific that has
items (`effective_items`):
- the cohort's own, once its leader customised it;
- else its employer's, once its HR admin customised it;
- else the national default, written from the guide (a data migration).
Customising copies the programme followed so far, to edit it; going back deletes the copy.

A `ProgrammeDelivery` (item, enrolment), unique, records that a message went: the job
inserts them before queueing the e-mails, so reruns and two schedulers send each once.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from bpp.people.models import Organisation
from bpp.requests import deadlines
from cohorts.models.cohorts import Cohort, Enrolment, Phase
from cohorts.models.sessions import SessionKind

# A message due longer ago than this is not sent any more: when a phase's dates move
# backwards, or the job did not run for a while, agents do not receive a burst of old
# messages, only those of the last week. They still read every item in « Mon programme ».
CATCH_UP_DAYS = 7
ANSWER_MAX_LENGTH = 10_000


class Scope(models.TextChoices):
    NATIONAL = "national", "Programme national"
    EMPLOYER = "employeur", "Programme de l’employeur"
    COHORT = "promotion", "Programme de la promotion"


class Anchor(models.TextChoices):
    PHASE_START = "debut_phase", "Début prévu de la phase"
    FIRST_SESSION = "premiere_seance", "Première séance collective de la phase"


# How the anchors read in a sentence, after a number of days and on the day itself.
ANCHOR_AFTER = {
    Anchor.PHASE_START: "le début prévu de la phase",
    Anchor.FIRST_SESSION: "la première séance collective de la phase",
}
ANCHOR_ON = {
    Anchor.PHASE_START: "au début prévu de la phase",
    Anchor.FIRST_SESSION: "le jour de la première séance collective de la phase",
}


class ItemKind(models.TextChoices):
    MESSAGE = "message", "Message"
    EXERCISE = "exercice", "Exercice"


class ProgrammeItemQuerySet(models.QuerySet):
    def national(self) -> "ProgrammeItemQuerySet":
        return self.filter(organisation__isnull=True, cohort__isnull=True)

    def of_employer(self, organisation) -> "ProgrammeItemQuerySet":
        return self.filter(organisation=organisation, cohort__isnull=True)

    def of_cohort(self, cohort: Cohort) -> "ProgrammeItemQuerySet":
        return self.filter(cohort=cohort)

    def in_order(self) -> "ProgrammeItemQuerySet":
        return self.order_by("phase", "anchor", "offset_days", "pk")


class ProgrammeItem(models.Model):
    """A message or an exercise of a programme, due `offset_days` after its anchor."""

    # Both null: the national default. An employer: its programme. A cohort: its own.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="employeur",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="programme_items",
    )
    cohort = models.ForeignKey(
        Cohort,
        verbose_name="promotion",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="programme_items",
    )
    phase = models.PositiveSmallIntegerField("phase", choices=Phase.choices)
    anchor = models.CharField(
        "à compter de", max_length=20, choices=Anchor.choices, default=Anchor.PHASE_START
    )
    offset_days = models.SmallIntegerField(
        "décalage (jours)",
        default=0,
        help_text="Nombre de jours après (ou, négatif, avant) le point de départ.",
    )
    kind = models.CharField("type", max_length=10, choices=ItemKind.choices)
    title = models.CharField("titre", max_length=200)
    body = models.TextField("texte", max_length=5000)
    # An essential message (a practical notice) reaches every agent; the others can be
    # turned off by the agent.
    essential = models.BooleanField("indispensable", default=False)
    # The synthesis section (its key, e.g. "oral_summary" for 2.4.1) an exercise feeds.
    section = models.CharField("section de la synthèse", max_length=40, blank=True)
    # The item of the programme followed before this one was customised: what was sent
    # and answered moves to the copy, and back when the customisation is abandoned.
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )

    objects = ProgrammeItemQuerySet.as_manager()

    class Meta:
        verbose_name = "élément du programme"
        verbose_name_plural = "éléments du programme"
        ordering = ["phase", "anchor", "offset_days", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) | Q(cohort__isnull=True),
                name="programme_item_one_scope",
            ),
            models.CheckConstraint(
                condition=Q(offset_days__gte=-60, offset_days__lte=120),
                name="programme_item_offset_bounded",
                violation_error_message="Le décalage va de −60 à 120 jours.",
            ),
            models.CheckConstraint(
                condition=Q(kind=ItemKind.EXERCISE) | Q(section=""),
                name="programme_item_section_for_exercises",
                violation_error_message="Seul un exercice alimente une section de la synthèse.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def scope(self) -> str:
        if self.cohort_id:
            return Scope.COHORT
        if self.organisation_id:
            return Scope.EMPLOYER
        return Scope.NATIONAL

    @property
    def is_exercise(self) -> bool:
        return self.kind == ItemKind.EXERCISE

    @property
    def when(self) -> str:
        """When it is due, in words: « 2 jours après le début prévu de la phase »."""
        days = abs(self.offset_days)
        if days == 0:
            return ANCHOR_ON[self.anchor]
        unit = "jour" if days == 1 else "jours"
        relation = "après" if self.offset_days > 0 else "avant"
        return f"{days} {unit} {relation} {ANCHOR_AFTER[self.anchor]}"

    def due_on(self, anchors: "Anchors") -> datetime.date | None:
        """The day it is due, from the cohort's current dates; None without its anchor."""
        start = anchors.get(self.phase, self.anchor)
        return None if start is None else start + datetime.timedelta(days=self.offset_days)

    def copy_to(self, *, organisation=None, cohort: Cohort | None = None) -> "ProgrammeItem":
        fields = {
            f.name: getattr(self, f.name)
            for f in self._meta.concrete_fields
            if f.name not in ("id", "organisation", "cohort", "copied_from")
        }
        return ProgrammeItem(organisation=organisation, cohort=cohort, copied_from=self, **fields)


class Anchors:
    """The anchor dates of a cohort's phases: planned starts and first collective sessions."""

    def __init__(self, cohort: Cohort):
        self.starts = {phase.number: phase.starts_on for phase in cohort.phases.all()}
        self.first_sessions: dict[int, datetime.date] = {}
        sessions = cohort.sessions.filter(
            kind=SessionKind.COLLECTIVE, cancelled_at__isnull=True
        ).order_by("starts_at")
        for phase, starts_at in sessions.values_list("phase", "starts_at"):
            self.first_sessions.setdefault(phase, deadlines.legal_today(starts_at))

    def get(self, phase: int, anchor: str) -> datetime.date | None:
        if anchor == Anchor.FIRST_SESSION:
            return self.first_sessions.get(phase)
        return self.starts.get(phase)


def effective_scope(cohort: Cohort) -> str:
    """Which programme the cohort follows: its own, else its employer's, else the national."""
    if ProgrammeItem.objects.of_cohort(cohort).exists():
        return Scope.COHORT
    if ProgrammeItem.objects.of_employer(cohort.organisation_id).exists():
        return Scope.EMPLOYER
    return Scope.NATIONAL


def items_of_scope(cohort: Cohort, scope: str) -> ProgrammeItemQuerySet:
    if scope == Scope.COHORT:
        return ProgrammeItem.objects.of_cohort(cohort)
    if scope == Scope.EMPLOYER:
        return ProgrammeItem.objects.of_employer(cohort.organisation_id)
    return ProgrammeItem.objects.national()


def effective_items(cohort: Cohort) -> ProgrammeItemQuerySet:
    """The items of the programme the cohort follows, in order."""
    return items_of_scope(cohort, effective_scope(cohort)).in_order()


class ProgrammeDelivery(models.Model):
    """An item of the programme sent to an agent: once, whatever reruns the job."""

    item = models.ForeignKey(ProgrammeItem, on_delete=models.CASCADE, related_name="deliveries")
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="programme_deliveries"
    )
    sent_at = models.DateTimeField("envoyé le")
    # The run that inserted it: the rows a run inserted are those it sends.
    run = models.UUIDField(db_index=True)

    class Meta:
        verbose_name = "envoi du programme"
        verbose_name_plural = "envois du programme"
        constraints = [
            models.UniqueConstraint(fields=["item", "enrolment"], name="programme_sent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.item} — {self.enrolment}"


class ExerciseAnswerQuerySet(models.QuerySet):
    def shown(self) -> "ExerciseAnswerQuerySet":
        return self.filter(shown_to_leader_at__isnull=False)


class ExerciseAnswer(models.Model):
    """The agent's answer to an exercise, in their workbook: theirs alone, unless they show
    it to the leader of their cohort."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="exercise_answers"
    )
    # An exercise someone answered is not deleted (see cohorts.services.delete_programme_item).
    item = models.ForeignKey(ProgrammeItem, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField("votre réponse", max_length=ANSWER_MAX_LENGTH)
    shown_to_leader_at = models.DateTimeField("montrée à l’animateur le", null=True, blank=True)
    updated_at = models.DateTimeField("modifiée le")

    objects = ExerciseAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = "réponse à un exercice"
        verbose_name_plural = "réponses aux exercices"
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "item"], name="answer_one_per_exercise"),
        ]

    def __str__(self) -> str:
        return f"Réponse à « {self.item} »"

    @property
    def is_shown(self) -> bool:
        return self.shown_to_leader_at is not None

    @classmethod
    def write(
        cls, *, enrolment: Enrolment, item: ProgrammeItem, text: str, now: datetime.datetime
    ) -> "ExerciseAnswer":
        """The agent's answer to the exercise, written or rewritten."""
        answer, _ = cls.objects.update_or_create(
            enrolment=enrolment, item=item, defaults={"text": text, "updated_at": now}
        )
        return answer

    def show_to_leader(self, shown: bool, *, now: datetime.datetime) -> None:
        """Show the answer to the cohort's leaders, or stop showing it."""
        self.shown_to_leader_at = now if shown else None
        ExerciseAnswer.objects.filter(pk=self.pk).update(shown_to_leader_at=self.shown_to_leader_at)


@dataclass
class ProgrammeLine:
    """An item of the programme as one agent sees it."""

    item: ProgrammeItem
    due_on: datetime.date | None
    sent_at: datetime.datetime | None
    answer: ExerciseAnswer | None
    # Open to the agent: sent to them, or due and of a phase open to them. A sentence
    # of the programme may be read ahead; an exercise is answered once open.
    is_open: bool


def phase_open_to(enrolment: Enrolment, phase: int) -> bool:
    """The cohort reached the phase, and from phase 2 on the agent signed the contract."""
    current = enrolment.cohort.current_phase  # still 4 once the cohort concluded
    if current is None or phase > current:
        return False
    return phase == Phase.LAUNCH or enrolment.contract_signed_at is not None


def programme_of(enrolment: Enrolment, today: datetime.date) -> list[ProgrammeLine]:
    """The programme the agent's cohort follows, with its dates and what was sent to them."""
    anchors = Anchors(enrolment.cohort)
    sent = dict(
        ProgrammeDelivery.objects.filter(enrolment=enrolment).values_list("item_id", "sent_at")
    )
    answers = {answer.item_id: answer for answer in enrolment.exercise_answers.all()}
    lines = []
    for item in effective_items(enrolment.cohort):
        due = item.due_on(anchors)
        is_open = item.pk in sent or (
            due is not None and due <= today and phase_open_to(enrolment, item.phase)
        )
        lines.append(ProgrammeLine(item, due, sent.get(item.pk), answers.get(item.pk), is_open))
    # Within a phase, by date; an item whose anchor is not set yet (no session) last.
    return sorted(lines, key=lambda line: (line.item.phase, line.due_on or datetime.date.max))

"""
The follow-up of an agent's own action plan, 3 and 6 months after the cohort concludes.

The check-in lists the actions of the signed plan (3.1), copied when it is sent; the agent
says of each whether it is done, in progress or dropped, and when, and answers two yes/no
questions: a training started, a mobility achieved. The actions are the agent's own words:
they are encrypted under the key of the synthesis like the plan itself (destroying the
synthesis destroys them) and never shown in the admin site. The leaders of the cohort read
the answers only if the agent chooses to share them.

The generic cold questionnaire (cohorts.models.evaluations) still goes to every agent at 6
months: it asks only about satisfaction with the accompaniment ("Mon accompagnement en +"),
never about the actions, so the follow-up does not take anything out of it; it carries the
action part, for the agents who have a signed plan.

HR reads outcomes only as counts (`FollowUpQuerySet.outcomes`), kept in clear beside the
encrypted words (how many actions, how many done, the two answers), and only from
SMALL_COUNT answers.
"""

import datetime
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from cohorts.figures import SMALL_COUNT, Figure, share
from synthesis.fields import EncryptedJSONField
from synthesis.models.synthesis import Synthesis, SynthesisError

# Months after the conclusion of the cohort when a follow-up is due.
FOLLOW_UP_MONTHS = (3, 6)
# A follow-up that could not go on its day (the job did not run) still goes later, but no
# later than this many months after its due date: by then the next one is due, or, for the
# last one, its questions have lost their sense.
SENDING_WINDOW_MONTHS = 3


class ActionStatus(models.TextChoices):
    DONE = "realisee", "Réalisée"
    IN_PROGRESS = "en_cours", "En cours"
    DROPPED = "abandonnee", "Abandonnée"


class FollowUpError(SynthesisError):
    """The follow-up cannot take this answer; the message says why, in French."""


@dataclass
class Outcomes:
    """What the answered follow-ups of a set say, as figures that may be published."""

    answers: int
    actions: int
    actions_done: int
    trainings: int
    mobilities: int

    @property
    def shown(self) -> bool:
        """From SMALL_COUNT answers on: below, a figure could single someone out."""
        return self.answers >= SMALL_COUNT

    def rows(self) -> list[tuple[str, Figure, Figure]]:
        """Each outcome: its count and its share (of actions, or of answers), in percent."""
        if not self.shown:
            return []
        return [
            (
                "Actions réalisées",
                Figure(self.actions_done),
                share(self.actions_done, self.actions),
            ),
            (
                "Agents ayant commencé une formation",
                Figure(self.trainings),
                share(self.trainings, self.answers),
            ),
            (
                "Agents ayant réalisé une mobilité",
                Figure(self.mobilities),
                share(self.mobilities, self.answers),
            ),
        ]


class FollowUpQuerySet(models.QuerySet):
    def answered(self) -> "FollowUpQuerySet":
        return self.filter(answered_at__isnull=False)

    def shared_with_leaders(self) -> "FollowUpQuerySet":
        return self.answered().filter(shared_with_leader=True)

    def outcomes(self) -> Outcomes:
        """The counts of the answered follow-ups of this set, in one query."""
        answered = Q(answered_at__isnull=False)
        found = self.aggregate(
            answers=Count("pk", filter=answered),
            actions=Sum("actions_count", filter=answered, default=0),
            done=Sum("actions_done", filter=answered, default=0),
            trainings=Count("pk", filter=answered & Q(training_started=True)),
            mobilities=Count("pk", filter=answered & Q(mobility_achieved=True)),
        )
        return Outcomes(
            answers=found["answers"],
            actions=found["actions"],
            actions_done=found["done"],
            trainings=found["trainings"],
            mobilities=found["mobilities"],
        )


class FollowUp(models.Model):
    synthesis = models.ForeignKey(
        Synthesis, verbose_name="synthèse", on_delete=models.CASCADE, related_name="follow_ups"
    )
    months = models.PositiveSmallIntegerField(
        "échéance", choices=[(m, f"{m} mois après la fin du bilan") for m in FOLLOW_UP_MONTHS]
    )
    sent_at = models.DateTimeField("envoyé le")
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    # [{"title": str, "status": ActionStatus | "", "on": "YYYY-MM-DD" | ""}]: the plan's
    # actions as signed, then the agent's answer for each. The agent's own words.
    actions = EncryptedJSONField("actions")
    # Figures only, in clear, for HR's aggregates: never a word of the plan.
    actions_count = models.PositiveSmallIntegerField("nombre d’actions")
    actions_done = models.PositiveSmallIntegerField("actions réalisées", null=True, blank=True)
    training_started = models.BooleanField("formation commencée", null=True, blank=True)
    mobility_achieved = models.BooleanField("mobilité réalisée", null=True, blank=True)
    shared_with_leader = models.BooleanField("partagé avec l’animateur", default=False)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = "suivi du plan d’action"
        verbose_name_plural = "suivis du plan d’action"
        ordering = ["synthesis", "months"]
        constraints = [
            # Sent once: two runs of the job on the same day insert one row, not two.
            models.UniqueConstraint(fields=["synthesis", "months"], name="follow_up_once"),
            models.CheckConstraint(
                condition=Q(months__in=FOLLOW_UP_MONTHS), name="follow_up_3_or_6_months"
            ),
            models.CheckConstraint(
                condition=Q(
                    answered_at__isnull=True,
                    actions_done__isnull=True,
                    training_started__isnull=True,
                    mobility_achieved__isnull=True,
                )
                | Q(
                    answered_at__isnull=False,
                    actions_done__isnull=False,
                    actions_done__lte=models.F("actions_count"),
                    training_started__isnull=False,
                    mobility_achieved__isnull=False,
                ),
                name="follow_up_answer_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Suivi à {self.months} mois — {self.synthesis.enrolment.agent}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @transaction.atomic
    def answer(
        self,
        *,
        answers: list[tuple[str, datetime.date]],
        training_started: bool,
        mobility_achieved: bool,
        shared_with_leader: bool,
        now: datetime.datetime | None = None,
    ) -> None:
        """Record the agent's answer: a (status, date) for each action, in the plan's order.

        Once only: a second answer (another tab, a double click) is refused.
        """
        if len(answers) != len(self.actions) or any(
            status not in ActionStatus.values for status, _ in answers
        ):
            raise FollowUpError("Répondez pour chacune des actions de votre plan.")
        actions = [
            {"title": action["title"], "status": status, "on": on.isoformat()}
            for action, (status, on) in zip(self.actions, answers, strict=True)
        ]
        answer = {
            "answered_at": now or timezone.now(),
            "actions_done": sum(a["status"] == ActionStatus.DONE for a in actions),
            "training_started": training_started,
            "mobility_achieved": mobility_achieved,
            "shared_with_leader": shared_with_leader,
        }
        # One conditional UPDATE decides, on every database: the first answer is recorded.
        if not FollowUp.objects.filter(pk=self.pk, answered_at__isnull=True).update(**answer):
            raise FollowUpError("Vous avez déjà répondu à ce suivi. Merci !")
        for name, value in answer.items():
            setattr(self, name, value)
        # The encrypted words are written by save(), never by update().
        self.actions = actions
        self.save(update_fields=["actions"])

    def action_rows(self) -> list[dict]:
        """Each action with its status as a label, for the pages."""
        return [
            {
                **action,
                "status_label": ActionStatus(action["status"]).label if action["status"] else "",
                "on": datetime.date.fromisoformat(action["on"]) if action["on"] else None,
            }
            for action in self.actions
        ]

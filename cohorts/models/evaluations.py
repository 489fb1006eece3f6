"""
The satisfaction questionnaires of "Mon accompagnement en +": one "à chaud" when the
cohort concludes, one "à froid" some months later. Answers are read only as
aggregates (`EvaluationQuerySet.satisfaction`: of a cohort for its leaders and staff,
of an employer for HR and for its agents), and only from SMALL_COUNT answers, so
nobody's is singled out.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Avg, Count, Q

from cohorts.figures import SMALL_COUNT, Bar, Figure, bars, share
from cohorts.models.cohorts import Enrolment

AGREEMENT = [
    (1, "Pas du tout d’accord"),
    (2, "Plutôt pas d’accord"),
    (3, "Plutôt d’accord"),
    (4, "Tout à fait d’accord"),
]

# The statements mirror the commitments of "Mon accompagnement en +".
STATEMENTS = {
    "informed_of_offer": "J’ai été informé(e) de l’offre d’accompagnement qui m’était proposée.",
    "delay_communicated": "Un délai de prise en charge de ma demande m’a été communiqué.",
    "adapted": "L’accompagnement était adapté à mon besoin et à mon projet.",
    "confidential": "Les échanges sont restés confidentiels et l’animateur a été neutre.",
    "synthesis_help": "J’ai été aidé(e) à formaliser la synthèse de mon projet professionnel.",
}


# The overall scores that count as "very satisfied": the index of the strategy (Outil F)
# aims at a score between 9 and 10 out of 10.
TOP_SCORES = (9, 10)
# "Plutôt d’accord" and "Tout à fait d’accord".
AGREES = (3, 4)
SCORES = range(11)


@dataclass
class StatementResult:
    text: str
    mean: float | None  # agreement from 1 to 4
    agreeing: int  # answers "plutôt" or "tout à fait d’accord"


@dataclass
class Satisfaction:
    """The aggregates of a set of questionnaires; `shown` says whether they may be read."""

    sent: int
    answers: int
    mean: float | None  # overall score, out of 10
    top_scores: int  # answers scoring 9 or 10
    distribution: list[tuple[int, int]]  # (score, answers) for every score from 0 to 10
    statements: list[StatementResult]

    @property
    def shown(self) -> bool:
        """From SMALL_COUNT answers on: below, a figure could single someone out."""
        return self.answers >= SMALL_COUNT

    @property
    def top_share(self) -> Figure:
        """The share of answers scoring 9 or 10, in percent."""
        return share(self.top_scores, self.answers)

    def score_bars(self) -> list[Bar]:
        """The distribution of the overall scores, each count as it may be published."""
        return bars([(str(score), Figure(n)) for score, n in self.distribution])

    def statement_rows(self) -> list[tuple[str, Figure, Figure]]:
        """Each commitment: the mean agreement (1 to 4) and the share who agree, in percent."""
        return [
            (
                s.text,
                Figure(None if s.mean is None else round(s.mean, 1)),
                share(s.agreeing, self.answers),
            )
            for s in self.statements
        ]


class EvaluationQuerySet(models.QuerySet):
    def answered(self) -> "EvaluationQuerySet":
        return self.filter(answered_at__isnull=False)

    def satisfaction(self) -> Satisfaction:
        """The aggregates of these questionnaires, sent and answered, in one query."""
        answered = Q(answered_at__isnull=False)
        found = self.aggregate(
            sent=Count("pk"),
            answers=Count("pk", filter=answered),
            mean=Avg("overall_score", filter=answered),
            top=Count("pk", filter=answered & Q(overall_score__in=TOP_SCORES)),
            **{f"score_{n}": Count("pk", filter=answered & Q(overall_score=n)) for n in SCORES},
            **{f"{name}_mean": Avg(name, filter=answered) for name in STATEMENTS},
            **{
                f"{name}_agree": Count("pk", filter=answered & Q(**{f"{name}__in": AGREES}))
                for name in STATEMENTS
            },
        )
        return Satisfaction(
            sent=found["sent"],
            answers=found["answers"],
            mean=found["mean"],
            top_scores=found["top"],
            distribution=[(n, found[f"score_{n}"]) for n in SCORES],
            statements=[
                StatementResult(text, found[f"{name}_mean"], found[f"{name}_agree"])
                for name, text in STATEMENTS.items()
            ],
        )


class Evaluation(models.Model):
    class Kind(models.TextChoices):
        HOT = "chaud", "À chaud, à la fin du bilan"
        COLD = "froid", "À froid, quelques mois après"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="evaluations")
    kind = models.CharField("questionnaire", max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField("envoyé le")
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    overall_score = models.PositiveSmallIntegerField("note globale", null=True, blank=True)
    informed_of_offer = models.PositiveSmallIntegerField(null=True, blank=True, choices=AGREEMENT)
    delay_communicated = models.PositiveSmallIntegerField(null=True, blank=True, choices=AGREEMENT)
    adapted = models.PositiveSmallIntegerField(null=True, blank=True, choices=AGREEMENT)
    confidential = models.PositiveSmallIntegerField(null=True, blank=True, choices=AGREEMENT)
    synthesis_help = models.PositiveSmallIntegerField(null=True, blank=True, choices=AGREEMENT)
    comment = models.TextField("remarques et propositions", max_length=5000, blank=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = "questionnaire de satisfaction"
        verbose_name_plural = "questionnaires de satisfaction"
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "kind"], name="evaluation_once_per_kind"),
            models.CheckConstraint(
                condition=Q(overall_score__isnull=True) | Q(overall_score__lte=10),
                name="evaluation_score_0_to_10",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(overall_score__isnull=False),
                name="evaluation_answer_has_a_score",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.enrolment}"

    @property
    def is_hot(self) -> bool:
        """The questionnaire sent at the end of the review (the cold one comes months later)."""
        return self.kind == self.Kind.HOT

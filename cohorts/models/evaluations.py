"""
The satisfaction questionnaires of "Mon accompagnement en +": one "à chaud" when the
cohort concludes, one "à froid" some months later. Answers are read only as
aggregates per cohort, and only from SMALL_COUNT answers, so nobody's is singled out.
"""

from django.db import models
from django.db.models import Q

from cohorts.models.cohorts import Enrolment

# Below this many people a figure could single someone out: counts, averages and
# delays computed on fewer are withheld (questionnaires here, indicators in bpp.pages).
SMALL_COUNT = 5

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

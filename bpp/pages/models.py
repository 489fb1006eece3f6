"""
What an HR admin states once a year about the quality of the accompaniment: the facts
of the index the product cannot know (strategy, Outil F), and the self-assessment of
the 6 quality criteria (Outil E). Both are kept per employer and year, with who
answered and when; answering again replaces the year's answer.
"""

import datetime

from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.db.models import Q

from bpp.people.models import Organisation, User

PERCENT = [MaxValueValidator(100, "Un pourcentage ne dépasse pas 100.")]


class QualityDeclaration(models.Model):
    """The year's answers to what the product cannot know (indicators 1, 2, 4, 5, 6)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="employeur", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("année")
    informed_share = models.PositiveSmallIntegerField(
        "part des agents informés de l’offre de services (%)",
        null=True,
        blank=True,
        validators=PERCENT,
    )
    information_means = models.TextField(
        "comment l’offre a été diffusée et mise à jour", max_length=2000, blank=True
    )
    digital_access_share = models.PositiveSmallIntegerField(
        "part des agents ayant accès à un premier niveau d’accompagnement numérique (%)",
        null=True,
        blank=True,
        validators=PERCENT,
    )
    disability_offer = models.BooleanField(
        "l’offre de services prend en compte les situations de handicap", default=False
    )
    disability_measures = models.TextField(
        "comment elle les prend en compte", max_length=2000, blank=True
    )
    trained_share = models.PositiveSmallIntegerField(
        "part des conseillers mobilité-carrière, référents information-mobilité et référents "
        "handicap formés sur les compétences socles (%)",
        null=True,
        blank=True,
        validators=PERCENT,
    )
    failure_process = models.BooleanField(
        "un processus formalisé gère les défaillances du service, du repérage à la gestion",
        default=False,
    )
    failure_process_description = models.TextField(
        "ce processus en quelques lignes", max_length=2000, blank=True
    )
    answered_by = models.ForeignKey(
        User, verbose_name="renseignée par", on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField("renseignée le")

    class Meta:
        verbose_name = "déclaration annuelle de qualité"
        verbose_name_plural = "déclarations annuelles de qualité"
        ordering = ["organisation", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="quality_declaration_once_a_year"
            ),
            models.CheckConstraint(
                condition=(
                    Q(informed_share__lte=100)
                    & Q(digital_access_share__lte=100)
                    & Q(trained_share__lte=100)
                ),
                name="quality_declaration_percentages",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.year}"


class Criterion(models.IntegerChoices):
    """The 6 quality criteria of the accompaniment (strategy, Outil E)."""

    INFORMATION = 1, "Information des agents sur l’offre d’accompagnement"
    ACCESS = 2, "Généralisation et priorisation de l’accès à un accompagnement personnalisé"
    ADAPTATION = (
        3,
        (
            "Adaptation de l’accompagnement au besoin des bénéficiaires et à la spécificité des publics"
        ),
    )
    PROFESSIONALISATION = 4, "Professionnalisation continue des réseaux de l’accompagnement"
    RISKS = 5, "Anticipation de la gestion des risques"
    EVALUATION = 6, "Évaluation de l’offre de services par les bénéficiaires"


class CriterionAssessment(models.Model):
    """The HR admin's assessment of one criterion for one year."""

    class Level(models.TextChoices):
        MET = "atteint", "Atteint"
        PARTLY = "en_partie", "Atteint en partie"
        NOT_MET = "non_atteint", "Non atteint"

    organisation = models.ForeignKey(
        Organisation, verbose_name="employeur", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("année")
    criterion = models.PositiveSmallIntegerField("critère", choices=Criterion.choices)
    level = models.CharField("niveau", max_length=20, choices=Level.choices)
    comment = models.TextField("éléments qui le démontrent", max_length=3000, blank=True)
    assessed_by = models.ForeignKey(
        User, verbose_name="évalué par", on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField("évalué le")

    class Meta:
        verbose_name = "autoévaluation d’un critère de qualité"
        verbose_name_plural = "autoévaluations des critères de qualité"
        ordering = ["organisation", "-year", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "criterion"], name="criterion_assessed_once_a_year"
            ),
            models.CheckConstraint(
                condition=Q(criterion__gte=1, criterion__lte=6), name="criterion_is_one_of_six"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.year} — critère {self.criterion}"

    @classmethod
    @transaction.atomic
    def record_year(
        cls,
        *,
        organisation: Organisation,
        year: int,
        answers: dict[int, tuple[str, str]],
        by: User,
        now: datetime.datetime,
    ) -> None:
        """Record `answers` ({criterion: (level, comment)}), replacing the year's earlier ones."""
        for criterion, (level, comment) in answers.items():
            cls.objects.update_or_create(
                organisation=organisation,
                year=year,
                criterion=criterion,
                defaults={
                    "level": level,
                    "comment": comment,
                    "assessed_by": by,
                    "assessed_at": now,
                },
            )


class DailyFigures(models.Model):
    """An employer's figures of one day, pickled (bpp.pages.snapshots): what the shared
    cache holds, kept in the database so that the first reader of the day reads them."""

    key = models.CharField("clé", max_length=200, unique=True)
    day = models.DateField("jour", db_index=True)
    payload = models.BinaryField("chiffres")

    class Meta:
        verbose_name = "chiffres du jour"
        verbose_name_plural = "chiffres du jour"

    def __str__(self) -> str:
        return self.key

"""The methods and schemes an action plan may use (3.1.3): a national list, extended by HR admins."""

from django.db import models
from django.db.models import Q

from bpp.people.models import Organisation


class SchemeQuerySet(models.QuerySet):
    def offered_to(self, organisation: Organisation) -> "SchemeQuerySet":
        """The national schemes and those the employer added, still offered."""
        return self.filter(
            Q(organisation__isnull=True) | Q(organisation=organisation), active=True
        ).order_by("organisation", "position", "name")


class Scheme(models.Model):
    name = models.CharField("nom", max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="employeur",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="schemes",
        help_text="Vide : proposé à tous les employeurs.",
    )
    position = models.PositiveSmallIntegerField("ordre", default=100)
    active = models.BooleanField(
        "proposé",
        default=True,
        help_text="Décochez pour ne plus le proposer ; les synthèses qui le citent le gardent.",
    )

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = "outil ou dispositif"
        verbose_name_plural = "outils et dispositifs du plan d’action"
        ordering = ["organisation", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(organisation__isnull=True),
                name="scheme_unique_national_name",
            ),
            models.UniqueConstraint(
                fields=["organisation", "name"],
                condition=Q(organisation__isnull=False),
                name="scheme_unique_name_per_employer",
            ),
        ]

    def __str__(self) -> str:
        return self.name

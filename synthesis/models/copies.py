"""
What a provider's consultant downloaded, and their attestation that it is destroyed.

A provider keeps nothing (guide: its copy is destroyed). Every PDF a consultant of the
provider downloads, alone or in the cohort's ZIP, is counted in one `ProviderCopy` per
consultant and cohort. Once their access to the cohort has ended (or the provider's
contract with the employer), they must attest
the destruction of those copies, with their name; they are reminded every day until
they do. A download after the attestation opens a new record, to attest again.

The record names the cohort, never a synthesis nor a word of one: it outlives the
destruction of a synthesis at the agent's request, which the provider's copy does too.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from bpp.people.models import Provider, Role, RoleAssignment, User
from bpp.requests import deadlines
from cohorts.models import Cohort
from synthesis.models.synthesis import Synthesis

OPEN = Q(destruction_attested_at__isnull=True)


class ProviderCopyError(Exception):
    """The attestation cannot be recorded; the message says why, in French."""


class ProviderCopyQuerySet(models.QuerySet):
    def open(self) -> "ProviderCopyQuerySet":
        """The copies whose destruction is not attested yet."""
        return self.filter(OPEN)

    def due(self, now: datetime.datetime) -> "ProviderCopyQuerySet":
        """The open copies whose consultant's access to the cohort has ended by `now`.

        Access ends as the synthesis loaders say (`Cohort.provider_access_ends`,
        `synthesis.permissions.provider_access_ends`): PROVIDER_ACCESS_DAYS after the
        cohort concluded, or once every agent has chosen whether to transmit; or when
        the consultant no longer leads the cohort, no longer works for the provider, or
        their account is closed; or when the contract under which the cohort is run has
        ended (its last day past, Paris time).
        """
        cutoff = now - datetime.timedelta(days=settings.PROVIDER_ACCESS_DAYS)
        today = deadlines.legal_today(now)
        undecided = Synthesis.objects.alive().filter(
            enrolment__cohort=OuterRef("cohort"), transmission_decided_at__isnull=True
        )
        leads = Cohort.leaders.through.objects.filter(
            cohort=OuterRef("cohort"), user=OuterRef("consultant")
        )
        works_for = RoleAssignment.objects.filter(
            user=OuterRef("consultant"), role=Role.PROVIDER, provider=OuterRef("provider")
        )
        return self.open().filter(
            Q(cohort__concluded_at__lte=cutoff)
            | (Q(cohort__concluded_at__isnull=False) & ~Exists(undecided))
            | ~Exists(leads)
            | ~Exists(works_for)
            | Q(cohort__provider_contract__ends_on__lt=today)
            | Q(consultant__is_active=False)
        )

    def record_download(
        self, *, consultant: User, cohort: Cohort, now: datetime.datetime | None = None
    ) -> None:
        """Count one more PDF `consultant` downloaded from `cohort` (on the open record)."""
        now = now or timezone.now()
        mine = self.open().filter(consultant=consultant, cohort=cohort)
        counted = {"last_downloaded_at": now, "downloads": F("downloads") + 1}
        if mine.update(**counted):
            return
        try:
            with transaction.atomic():
                self.create(
                    consultant=consultant,
                    cohort=cohort,
                    provider_id=cohort.provider_id,
                    first_downloaded_at=now,
                    last_downloaded_at=now,
                    downloads=1,
                )
        except IntegrityError:  # a parallel download opened it meanwhile
            mine.update(**counted)


class ProviderCopy(models.Model):
    consultant = models.ForeignKey(
        User, verbose_name="consultant", on_delete=models.PROTECT, related_name="+"
    )
    # Kept as long as the cohort is (RETENTION_MONTHS["cohorts"]), and purged with it.
    cohort = models.ForeignKey(
        Cohort, verbose_name="promotion", on_delete=models.CASCADE, related_name="+"
    )
    provider = models.ForeignKey(
        Provider, verbose_name="prestataire", on_delete=models.PROTECT, related_name="+"
    )
    downloads = models.PositiveIntegerField("documents téléchargés", default=0)
    first_downloaded_at = models.DateTimeField("premier téléchargement le")
    last_downloaded_at = models.DateTimeField("dernier téléchargement le")
    destruction_attested_at = models.DateTimeField("destruction attestée le", null=True, blank=True)
    attested_by_name = models.CharField(
        "nom du signataire de l’attestation", max_length=150, blank=True
    )
    reminded_on = models.DateField("dernier rappel le", null=True, blank=True)

    objects = ProviderCopyQuerySet.as_manager()

    class Meta:
        verbose_name = "copie téléchargée par un prestataire"
        verbose_name_plural = "copies téléchargées par les prestataires"
        ordering = ["cohort", "consultant", "-first_downloaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultant", "cohort"],
                condition=OPEN,
                name="provider_copy_one_open_per_cohort",
            ),
            models.CheckConstraint(
                condition=Q(last_downloaded_at__gte=F("first_downloaded_at")),
                name="provider_copy_downloads_in_order",
            ),
            models.CheckConstraint(
                condition=(OPEN & Q(attested_by_name=""))
                | (
                    Q(destruction_attested_at__gte=F("last_downloaded_at"))
                    & ~Q(attested_by_name="")
                ),
                name="provider_copy_attestation_is_signed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultant} — {self.cohort}"

    @property
    def is_attested(self) -> bool:
        return self.destruction_attested_at is not None

    def attest(self, *, name: str, now: datetime.datetime | None = None) -> None:
        """The consultant attests they destroyed every copy counted here, signing with `name`."""
        name = " ".join(name.split())
        if not name:
            raise ProviderCopyError("Indiquez vos nom et prénom pour signer l’attestation.")
        now = now or timezone.now()
        attested = (
            ProviderCopy.objects.open()
            .filter(pk=self.pk)
            .update(destruction_attested_at=now, attested_by_name=name)
        )
        if not attested:
            raise ProviderCopyError("Vous avez déjà attesté la destruction de ces copies.")
        self.destruction_attested_at, self.attested_by_name = now, name

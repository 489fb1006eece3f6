from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from bpp.requests import deadlines
from cohorts.models import Cohort, Enrolment, Evaluation
from cohorts.services import send_evaluations


class Command(BaseCommand):
    help = (
        "Envoie le questionnaire « à froid » aux agents des promotions terminées depuis "
        "au moins N mois (6 par défaut). Sans effet pour qui l’a déjà reçu ; à lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument("--mois", type=int, default=6, dest="months")

    def handle(self, *args, months: int, **options):
        now = timezone.now()
        cutoff = deadlines.add_months(deadlines.legal_today(now), -months)
        with transaction.atomic():
            # Two runs at once take different cohorts (SKIP LOCKED), never the same one.
            cohorts = Cohort.objects.select_for_update(skip_locked=True).filter(
                concluded_at__date__lte=cutoff
            )
            sent = send_evaluations(
                # Every agent, those who left the cohort too.
                enrolments=Enrolment.objects.filter(cohort__in=cohorts),
                kind=Evaluation.Kind.COLD,
                now=now,
            )
        self.stdout.write(f"{sent} questionnaire(s) à froid envoyé(s).")

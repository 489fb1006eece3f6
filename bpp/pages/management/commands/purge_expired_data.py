from django.core.management.base import BaseCommand

from bpp.pages.retention import purge_expired_data


class Command(BaseCommand):
    help = (
        "Supprime les données personnelles dont la durée de conservation est écoulée "
        "(RETENTION_*_MONTHS) et prévient un mois avant chaque agent dont la synthèse "
        "sera supprimée. Idempotente ; à lancer chaque jour."
    )

    def handle(self, *args, **options):
        for kind, count in purge_expired_data().items():
            self.stdout.write(f"{kind} : {count}")

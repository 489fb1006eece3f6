from django.core.management.base import BaseCommand

from bpp.requests.jobs import record_postponement_ends


class Command(BaseCommand):
    help = (
        "Enregistre l’acceptation des demandes dont le report a pris fin et prévient les "
        "agents et les conseillers mobilité-carrière. À lancer chaque nuit."
    )

    def handle(self, *args, **options):
        count = record_postponement_ends()
        self.stdout.write(f"{count} fin(s) de report enregistrée(s).")

from django.core.management.base import BaseCommand

from bpp.requests.jobs import record_implicit_rejections


class Command(BaseCommand):
    help = (
        "Enregistre le rejet implicite des demandes restées sans réponse après leur date "
        "limite et prévient les agents et les décideurs. À lancer chaque nuit."
    )

    def handle(self, *args, **options):
        count = record_implicit_rejections()
        self.stdout.write(f"{count} rejet(s) implicite(s) enregistré(s).")

from django.core.management.base import BaseCommand

from cohorts.jobs import send_programme


class Command(BaseCommand):
    help = (
        "Envoie aux agents des promotions en cours les messages et exercices du programme "
        "arrivés à échéance. Chacun part une fois ; à lancer chaque jour."
    )

    def handle(self, *args, **options):
        sent = send_programme()
        self.stdout.write(f"{sent} message(s) du programme envoyé(s).")

from django.core.management.base import BaseCommand

from synthesis.jobs import send_follow_ups


class Command(BaseCommand):
    help = (
        "Envoie le suivi du plan d’action aux agents dont la promotion s’est terminée il y a "
        "3 ou 6 mois et dont la synthèse est signée. Chaque suivi ne part qu’une fois ; à "
        "lancer chaque jour."
    )

    def handle(self, *args, **options):
        count = send_follow_ups()
        self.stdout.write(f"{count} suivi(s) du plan d’action envoyé(s).")

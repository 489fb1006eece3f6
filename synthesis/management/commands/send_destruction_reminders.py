from django.core.management.base import BaseCommand

from synthesis.jobs import send_destruction_reminders


class Command(BaseCommand):
    help = (
        "Rappelle aux consultants des prestataires dont l’accès a pris fin d’attester la "
        "destruction des documents de synthèse téléchargés : un courriel par personne et par "
        "jour, jusqu’à l’attestation. À lancer chaque jour."
    )

    def handle(self, *args, **options):
        count = send_destruction_reminders()
        self.stdout.write(f"{count} rappel(s) envoyé(s).")

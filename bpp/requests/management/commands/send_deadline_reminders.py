from django.core.management.base import BaseCommand

from bpp.requests.jobs import send_deadline_reminders


class Command(BaseCommand):
    help = (
        "Rappelle aux décideurs les demandes proches de leur date limite (REQUEST_REMINDER_DAYS) "
        "et alerte le service RH au dernier rappel. À lancer chaque jour."
    )

    def handle(self, *args, **options):
        count = send_deadline_reminders()
        self.stdout.write(f"{count} rappel(s) envoyé(s).")

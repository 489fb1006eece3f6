"""The daily safety net of the webhooks (SCHEDULE): send what is due, whatever the task
queue holds (a worker stopped in the middle of an attempt leaves its delivery due with
no task for it), and delete the finished deliveries older than FINISHED_KEPT."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from bpp.webhooks import sending
from bpp.webhooks.models import Delivery

BATCH = 5000


class Command(BaseCommand):
    help = "Envoie les webhooks dus et efface les envois terminés depuis plus de 90 jours."

    def handle(self, *args, **options):
        sent = sending.send_due()
        deleted, now = 0, timezone.now()
        while batch := list(Delivery.objects.expired(now).values_list("pk", flat=True)[:BATCH]):
            Delivery.objects.filter(pk__in=batch).delete()  # their attempts with them
            deleted += len(batch)
        self.stdout.write(f"{sent} webhook(s) envoyé(s), {deleted} envoi(s) ancien(s) effacé(s).")

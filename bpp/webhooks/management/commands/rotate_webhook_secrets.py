"""Re-encrypt the signing secret of every webhook endpoint with the first key of
SYNTHESIS_KEYS: run it with `rotate_synthesis_keys`, before the old key is removed.
The secrets themselves do not change (the employers' systems keep theirs)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from bpp.webhooks.models import Endpoint
from synthesis.fields import rewrap


class Command(BaseCommand):
    help = "Rechiffre les secrets des webhooks avec la première clé de SYNTHESIS_KEYS."

    @transaction.atomic
    def handle(self, *args, **options):
        endpoints = list(Endpoint.objects.select_for_update().order_by("pk"))
        for endpoint in endpoints:
            endpoint.sealed_secret = rewrap(endpoint.sealed_secret)
        Endpoint.objects.bulk_update(endpoints, ["sealed_secret"])
        self.stdout.write(f"{len(endpoints)} secret(s) rechiffré(s).")

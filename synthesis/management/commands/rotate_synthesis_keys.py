"""Re-wrap the data key of every synthesis with the first key of SYNTHESIS_KEYS.

The content is encrypted under each synthesis's own data key and never changes here:
only the wrapped data keys are re-encrypted. Rotation: put the new key first in
SYNTHESIS_KEYS (keep the old one after it), run this command, then remove the old key.
Rows go in batches, each in its own transaction, so a long run never holds many locks;
running it again is harmless.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from synthesis.fields import UndecryptableError, rewrap
from synthesis.models import SynthesisKey

BATCH = 500


class Command(BaseCommand):
    help = "Rechiffre les clés de données des synthèses avec la première clé de SYNTHESIS_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=BATCH)

    def handle(self, *args, batch: int, **options):
        rows = SynthesisKey.objects.order_by("pk")
        total, done, last_pk = rows.count(), 0, 0
        while True:
            with transaction.atomic():
                chunk = list(
                    rows.filter(pk__gt=last_pk)
                    .select_for_update()
                    .values_list("pk", "wrapped")[:batch]
                )
                if not chunk:
                    break
                for pk, wrapped in chunk:
                    try:
                        wrapped = rewrap(wrapped)
                    except UndecryptableError:
                        raise CommandError(
                            f"La clé de la synthèse {pk} ne se déchiffre avec aucune clé de "
                            f"SYNTHESIS_KEYS : rien n’a changé après la synthèse {last_pk}. "
                            "Remettez l’ancienne clé dans la liste, après la nouvelle."
                        ) from None
                    SynthesisKey.objects.filter(pk=pk).update(wrapped=wrapped)
                done += len(chunk)
                last_pk = chunk[-1][0]
            self.stdout.write(f"{done}/{total} clé(s) rechiffrée(s)")
        self.stdout.write(self.style.SUCCESS(f"Terminé : {done} clé(s) rechiffrée(s)."))

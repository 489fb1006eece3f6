"""
What happened to cohorts, for the apps above this one (the employers' webhooks).

Sent once the transaction has committed, with ids only (see `bpp.requests.signals`).
"""

from django.db import transaction
from django.dispatch import Signal

# Sent with `enrolment_ids`: agents given a seat in a cohort.
agents_placed = Signal()
# Sent with `cohort_id`: a cohort whose last phase closed.
cohort_concluded = Signal()


def send_on_commit(signal: Signal, **ids) -> None:
    """Send `signal` with `ids` after the current transaction commits."""
    transaction.on_commit(lambda: signal.send(sender=None, **ids), robust=True)

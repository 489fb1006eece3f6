"""
What happened to requests, for the apps above this one (the employers' webhooks).

Each signal is sent once the transaction that made the change has committed (a rolled-back
decision announces nothing), with ids only: a receiver reads what it may tell. A receiver's
failure is logged, never undoes nor breaks the change (`robust`).
"""

from django.db import transaction
from django.dispatch import Signal

# Sent with `request_ids`: requests received (submitted, or a proposal accepted).
requests_received = Signal()
# Sent with `request_ids`: requests decided by someone (approved, refused, postponed),
# a request de droit approved on receipt included.
requests_decided = Signal()
# Sent with `request_ids`: overdue requests whose implicit rejection was recorded, one
# signal per batch of the nightly job (up to `jobs.BATCH_SIZE` ids).
requests_implicitly_rejected = Signal()


def send_on_commit(signal: Signal, *, request_ids: list[int]) -> None:
    """Send `signal` for `request_ids` after the current transaction commits."""
    if request_ids:
        transaction.on_commit(
            lambda: signal.send(sender=None, request_ids=list(request_ids)), robust=True
        )

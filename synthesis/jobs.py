"""
The periodic job of syntheses, run from cron or a systemd timer (see README).

Idempotent and safe to run twice at once: it locks the rows it takes with SKIP LOCKED
and marks them reminded for the day, so each consultant gets at most one e-mail a day.
"""

import datetime
from itertools import groupby

from django.db import transaction
from django.utils import timezone

from bpp.requests import deadlines
from synthesis import emails
from synthesis.models import ProviderCopy


def send_destruction_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind each consultant whose access has ended to attest the destruction of what
    they downloaded: one e-mail a day listing their cohorts, until they attest."""
    now = now or timezone.now()
    today = deadlines.legal_today(now)
    with transaction.atomic():
        reminded_today = ProviderCopy.objects.filter(reminded_on=today).values("consultant")
        due = list(
            ProviderCopy.objects.due(now)
            .exclude(consultant__in=reminded_today)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("consultant", "cohort__organisation")
            .order_by("consultant", "cohort__title", "pk")
        )
        ProviderCopy.objects.filter(pk__in=[c.pk for c in due]).update(reminded_on=today)
        for consultant, copies in groupby(due, key=lambda c: c.consultant):
            emails.destruction_reminder(consultant, list(copies))
    return len({c.consultant_id for c in due})

"""
How long a synthesis is kept for follow-up (RGPD), see bpp.people.retention.

A synthesis is kept RETENTION_MONTHS["syntheses"] months after its signature, or after
the end of the review when it was never signed (the agent left the cohort, or the cohort
concluded or was cancelled); the agent may destroy it sooner. A month before, the agent
is told by e-mail, once (`DeletionNotice`), and it is never deleted sooner than a month
after that e-mail, even when the job ran late. Deleting it deletes its key first, as a
destruction does: its content is unreadable wherever a copy survives.

Who read a synthesis is kept RETENTION_MONTHS["read_logs"] months after the read.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from bpp.people import retention
from bpp.people.models import DeletionNotice
from synthesis import emails
from synthesis.models import AccessRecord, Synthesis, SynthesisKey

# The instant a synthesis's period starts from (see the module's docstring).
REFERENCE = Coalesce(
    "signed_at",
    "enrolment__withdrawn_at",
    "enrolment__cohort__concluded_at",
    "enrolment__cohort__cancelled_at",
)
# A notice can be due up to this much beyond one month ahead (31 March is due on
# 28 February, when 31 March is still a month and 3 days away).
NOTICE_SLACK = datetime.timedelta(days=4)


def _months() -> int:
    return settings.RETENTION_MONTHS["syntheses"]


def deletion_date(reference: datetime.datetime) -> datetime.date:
    """The day a synthesis whose period starts at `reference` is deleted."""
    return retention.deleted_on(retention.today(reference), _months())


def kept_syntheses() -> QuerySet:
    """The syntheses still kept (not destroyed by their agent)."""
    return Synthesis.objects.alive()


def _notified(before: datetime.datetime | None = None) -> Exists:
    """Whether the agent was told (before `before`) of the end of the current period: a
    notice sent before an amendment signed again is about a period that is no more."""
    notices = DeletionNotice.objects.filter(
        subject=DeletionNotice.Subject.SYNTHESIS,
        subject_id=OuterRef("pk"),
        sent_at__gte=OuterRef("reference"),
    )
    if before is not None:
        notices = notices.filter(sent_at__lt=before)
    return Exists(notices)


def send_deletion_notices(*, now: datetime.datetime | None = None) -> int:
    """Tell each agent, once, which of their syntheses will be deleted within a month
    (one e-mail per agent); return how many agents were told."""
    now = now or timezone.now()
    on = retention.today(now)
    horizon = retention.shift_months(on, retention.NOTICE_MONTHS) + NOTICE_SLACK
    with transaction.atomic():
        candidates = (
            kept_syntheses()
            .alias(reference=REFERENCE)
            .filter(
                reference__lt=retention.start_of_day(
                    retention.last_expired_day(horizon, _months()) + retention.ONE_DAY
                )
            )
            .exclude(_notified())
            .annotate(starts_from=REFERENCE)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("enrolment__agent__user")
            .order_by("pk")
        )
        due = defaultdict(list)
        for synthesis in candidates:
            deletes_on = deletion_date(synthesis.starts_from)
            if retention.shift_months(deletes_on, -retention.NOTICE_MONTHS) <= on:
                due[synthesis.enrolment.agent.user].append((synthesis, deletes_on))
        for user, pairs in due.items():
            DeletionNotice.objects.bulk_create(
                DeletionNotice(
                    user=user,
                    subject=DeletionNotice.Subject.SYNTHESIS,
                    subject_id=synthesis.pk,
                    deletes_on=deletes_on,
                    sent_at=now,
                )
                for synthesis, deletes_on in pairs
            )
            emails.deletion_notice(user, pairs)
    return len(due)


def expired_syntheses(on: datetime.date) -> QuerySet:
    """The kept syntheses whose period is over on `on` and whose agent was told at least
    a month before."""
    return (
        kept_syntheses()
        .alias(reference=REFERENCE)
        .filter(reference__lt=retention.expired_before(on, "syntheses"))
        .filter(_notified(before=retention.notice_due_before(on)))
    )


def purge_syntheses(*, on: datetime.date, batch_size: int = 500) -> int:
    """Delete the expired syntheses: their key first, then everything of them (versions,
    signatures, their kept PDFs, comments, consents, reads, history), then the notices
    about them."""
    deleted = 0
    while True:
        with transaction.atomic():
            batch = list(
                expired_syntheses(on)
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not batch:
                # Notices about syntheses the agent destroyed in the meantime go too.
                DeletionNotice.objects.filter(subject=DeletionNotice.Subject.SYNTHESIS).exclude(
                    subject_id__in=kept_syntheses().values("pk")
                ).delete()
                return deleted
            SynthesisKey.objects.filter(synthesis_id__in=batch).delete()
            Synthesis.objects.filter(pk__in=batch).delete()
            DeletionNotice.objects.filter(
                subject=DeletionNotice.Subject.SYNTHESIS, subject_id__in=batch
            ).delete()
            deleted += len(batch)


def purge_read_logs(*, on: datetime.date) -> int:
    """Delete the records of who read a synthesis, older than their period."""
    return retention.delete_in_batches(
        AccessRecord.objects.filter(read_at__lt=retention.expired_before(on, "read_logs"))
    )

"""
What the product told each person: every e-mail, kept as its recipient received it.

A notification belongs to its recipient alone: no page, no role, no administrator reads
another person's (there is no admin for it). The user model is named by the setting,
never imported: this package sits below every domain app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bpp.mailer import Paragraph, paragraphs


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def mark_read(self, now) -> int:
        """Mark these notifications read (those already read keep their date)."""
        return self.unread().update(read_at=now)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="destinataire",
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # the index (recipient, sent_at) below serves it
    )
    name = models.CharField("modèle du message", max_length=100)  # e.g. requests/decided
    subject = models.TextField("objet")
    text = models.TextField("texte")
    url = models.TextField("lien", blank=True)
    sent_at = models.DateTimeField("envoyée le", default=timezone.now)
    read_at = models.DateTimeField("lue le", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "notification"
        verbose_name_plural = "notifications"
        ordering = ["-sent_at", "-pk"]
        indexes = [
            # « Mes notifications », newest first.
            models.Index(fields=["recipient", "-sent_at"], name="notification_inbox"),
            # The unread count of the header, on every page.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
            # The purge of old notifications.
            models.Index(fields=["sent_at"], name="notification_sent_at"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    def paragraphs(self) -> list[Paragraph]:
        """The text laid out as in the e-mail's HTML part."""
        return paragraphs(self.text, self.url)

"""The messages sent to a person, for their data export (RGPD, art. 15 and 20);
bpp.pages.export gathers it with the other apps'."""

from django.contrib.auth.base_user import AbstractBaseUser

from bpp.mailer.models import Notification


def notifications_of(user: AbstractBaseUser) -> list[dict]:
    """Every message kept in « Mes notifications », newest first."""
    return [
        {
            "envoye_le": notification.sent_at,
            "objet": notification.subject,
            "texte": notification.text,
            "lien": notification.url,
            "lu_le": notification.read_at,
        }
        for notification in Notification.objects.filter(recipient=user)
    ]

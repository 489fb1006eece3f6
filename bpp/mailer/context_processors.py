from functools import partial

from django.http import HttpRequest

from bpp.mailer.models import Notification


def _unread_count(request: HttpRequest) -> int:
    if not hasattr(request, "_unread_notifications"):
        request._unread_notifications = (
            Notification.objects.filter(recipient=request.user).unread().count()
        )
    return request._unread_notifications


def notifications(request: HttpRequest) -> dict:
    """The number of unread notifications, for the header: counted once per request, and
    only if a template shows it (templates call it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": partial(_unread_count, request)}

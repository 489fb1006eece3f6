"""
Who may read a notification: its recipient, and nobody else whatever their role.

Views load a notification through `load_notification(user, pk)` on their first line: a
notification sent to someone else does not exist for `user`, an HR admin included.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.shortcuts import get_object_or_404

from bpp.mailer.models import Notification


def load_notification(user: AbstractBaseUser, pk: int) -> Notification:
    """The notification `pk` if it was sent to `user`, or 404."""
    return get_object_or_404(Notification, pk=pk, recipient=user)

"""
« Mes notifications »: every message the product sent to the signed-in person, as the
e-mail said it, newest first, the unread ones marked. Reading a page never writes: a
notification is marked read by the button that opens it, or all at once.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bpp.mailer.models import Notification
from bpp.mailer.permissions import load_notification

PAGE_SIZE = 20


def inbox(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.filter(recipient=request.user).defer("text")
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page_obj": page})


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    notification = load_notification(request.user, pk)
    return render(request, "notifications/detail.html", {"notification": notification})


@require_POST
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a notification from the list: it is read from now on."""
    notification = load_notification(request.user, pk)
    Notification.objects.filter(pk=notification.pk).mark_read(timezone.now())
    return redirect("notifications:detail", notification.pk)


@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    if Notification.objects.filter(recipient=request.user).mark_read(timezone.now()):
        messages.success(request, "Toutes vos notifications sont marquées comme lues.")
    return redirect("notifications:inbox")

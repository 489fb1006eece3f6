from django.urls import path

from bpp.mailer import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/<int:pk>/", views.detail, name="detail"),
    path("notifications/<int:pk>/ouvrir/", views.open_notification, name="open"),
    path("notifications/tout-marquer-comme-lu/", views.read_all, name="read_all"),
]

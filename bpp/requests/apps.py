from django.apps import AppConfig


class RequestsConfig(AppConfig):
    name = "bpp.requests"
    label = "requests"
    verbose_name = "Demandes de bilan"

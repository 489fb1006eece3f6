from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The read API for HR information systems, and its tokens."""

    name = "bpp.api"
    label = "api"
    verbose_name = "API de lecture pour les SIRH"

from django.apps import AppConfig


class RequestsConfig(AppConfig):
    name = "bpp.requests"
    label = "requests"
    verbose_name = "Demandes de bilan"

    def ready(self):
        from bpp.people.models import priority_grounds_changed
        from bpp.requests.models import refresh_priority_of

        priority_grounds_changed.connect(refresh_priority_of, dispatch_uid="requests_priority")

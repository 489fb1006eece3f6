from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """The employers' webhooks: in the top layer, it hears the signals of the apps below."""

    name = "bpp.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from bpp.webhooks import receivers

        receivers.connect()

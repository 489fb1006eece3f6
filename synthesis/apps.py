from django.apps import AppConfig


class SynthesisConfig(AppConfig):
    name = "synthesis"
    verbose_name = "Documents de synthèse"

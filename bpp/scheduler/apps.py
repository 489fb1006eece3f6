from django.apps import AppConfig


class SchedulerConfig(AppConfig):
    name = "bpp.scheduler"
    label = "scheduler"
    verbose_name = "Tâches périodiques"

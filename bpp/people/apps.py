from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "bpp.people"
    label = "people"
    verbose_name = "Personnes et organisations"

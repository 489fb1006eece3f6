from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class BppConfig(AppConfig):
    default = True
    name = "bpp"
    verbose_name = "Personnes et organisations"


class BppAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "bpp.admin_site.HRAdminSite"

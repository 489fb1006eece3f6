from django.contrib.admin import apps as admin_apps


class BppAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the site limited to the HR admin's employers."""

    default = False
    default_site = "bpp.people.admin_site.HRAdminSite"

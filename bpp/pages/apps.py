from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The top layer: the pages and operations that gather several apps, and the demo."""

    name = "bpp.pages"
    label = "pages"
    verbose_name = "Pages et tableaux de bord"

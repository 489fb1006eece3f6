from django.apps import AppConfig


class MailerConfig(AppConfig):
    name = "bpp.mailer"
    label = "mailer"
    verbose_name = "Courriels et notifications"

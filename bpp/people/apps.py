from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "bpp.people"
    label = "people"
    verbose_name = "Personnes et organisations"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        from bpp import http
        from bpp.people import login_throttling

        user_locked_out.connect(login_throttling.log_lockout)
        user_logged_in.connect(login_throttling.forget_failures_of_account)
        user_logged_in.connect(http.stamp_session_on_sign_in)

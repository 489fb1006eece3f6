"""The root URLs: the top layer, which gathers every app's pages."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from bpp.pages import legal, site
from bpp.pages import views as portal_views
from bpp.people import second_factor
from bpp.people import views as people_views

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("connexion/", people_views.PasswordLoginView.as_view(), name="login"),
    path(
        "connexion/proconnect/", people_views.ProConnectLoginView.as_view(), name="proconnect_login"
    ),
    path(
        "connexion/proconnect/retour/",
        people_views.ProConnectCallbackView.as_view(),
        name="proconnect_callback",
    ),
    # Signing out stays open to a session that still owes its second factor.
    path("deconnexion/", second_factor.step(people_views.SignOutView.as_view()), name="logout"),
    path("compte/", people_views.account, name="account"),
    path("compte/agenda/", people_views.calendar_address, name="calendar_address"),
    path("connexion/verification/", people_views.second_factor_verify, name="second_factor_verify"),
    path(
        "compte/double-authentification/",
        people_views.second_factor_enrol,
        name="second_factor_enrol",
    ),
    path(
        "compte/double-authentification/codes/",
        people_views.second_factor_codes,
        name="second_factor_codes",
    ),
    path(
        "compte/double-authentification/codes-de-secours.txt",
        people_views.second_factor_codes_text,
        name="second_factor_codes_text",
    ),
    path(
        "compte/double-authentification/nouveaux-codes/",
        people_views.second_factor_renew_codes,
        name="second_factor_renew_codes",
    ),
    path(
        "compte/double-authentification/remplacer/",
        people_views.second_factor_replace,
        name="second_factor_replace",
    ),
    path("compte/mot-de-passe/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "compte/mot-de-passe/change/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("mot-de-passe/oublie/", people_views.password_reset, name="password_reset"),
    path(
        "mot-de-passe/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/enregistre/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("role/", people_views.switch_role, name="switch_role"),
    path("healthz", site.healthz, name="healthz"),
    path("donnees-personnelles/", legal.privacy, name="privacy"),
    path("accessibilite/", legal.accessibility, name="accessibility"),
    path("mentions-legales/", legal.legal_notice, name="legal_notice"),
    path("contact/", legal.contact, name="contact"),
    path("", include("bpp.mailer.urls")),
    path("", include("bpp.pages.urls")),
    path("", include("bpp.requests.urls")),
    path("", include("cohorts.urls")),
    path("", include("synthesis.urls")),
    path("admin/", admin.site.urls),
    # The read API for HR information systems, its schema and documentation.
    path("api/v1/", include("bpp.api.urls")),
]

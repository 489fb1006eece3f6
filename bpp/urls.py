"""The root URLs: the top layer, which gathers every app's pages."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from bpp.pages import site
from bpp.pages import views as portal_views
from bpp.people import views as people_views
from bpp.people.forms import LoginForm

urlpatterns = [
    path("", portal_views.home, name="home"),
    path(
        "connexion/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("role/", people_views.switch_role, name="switch_role"),
    path("healthz", site.healthz, name="healthz"),
    path("", include("bpp.pages.urls")),
    path("", include("bpp.requests.urls")),
    path("", include("cohorts.urls")),
    path("", include("synthesis.urls")),
    path("admin/", admin.site.urls),
]

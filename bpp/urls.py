from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from bpp import views
from bpp.forms import LoginForm
from bpp.portals import views as portal_views

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
    path("role/", views.switch_role, name="switch_role"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("bpp.portals.urls")),
    path("", include("bpp.requests.urls")),
    path("", include("cohorts.urls")),
    path("", include("synthesis.urls")),
    path("admin/", admin.site.urls),
]

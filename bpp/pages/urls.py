from django.urls import path

from bpp.pages import indicators_views, my_data, placement, views

app_name = "portals"

urlpatterns = [
    path("agent/", views.agent, name="agent"),
    path("agent/mes-donnees.zip", my_data.download, name="my_data"),
    path("encadrement/", views.manager, name="manager"),
    path("rh/", views.hr, name="hr"),
    path("conseiller/", views.cmc, name="cmc"),
    path("prestataire/", views.provider, name="provider"),
    path("referent-handicap/", views.disability_officer, name="disability_officer"),
    path("administration-rh/", views.hr_admin, name="hr_admin"),
    path("indicateurs/", indicators_views.indicators, name="indicators"),
    path("promotions/<int:pk>/inscrire/", placement.place, name="place"),
    path("indicateurs.csv", indicators_views.indicators_csv, name="indicators_csv"),
]

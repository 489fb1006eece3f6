from django.urls import path

from cohorts import views

app_name = "cohorts"

urlpatterns = [
    path("offre/", views.offer, name="offer"),
    path("promotions/", views.dashboard, name="dashboard"),
    path("promotions/nouvelle/", views.edit, name="create"),
    path("promotions/<int:pk>/", views.detail, name="detail"),
    path("promotions/<int:pk>/modifier/", views.edit, name="edit"),
    path("promotions/<int:pk>/avancer/", views.progress, name="progress"),
    path("promotions/<int:pk>/derogation/", views.allow_small_start, name="allow_small_start"),
    path("promotions/<int:pk>/placer/<int:request_pk>/", views.place, name="place"),
    path("file-d-attente/", views.queue, name="queue"),
    path("promotions/<int:pk>/confidentialite/", views.confidentiality, name="confidentiality"),
    path("inscriptions/<int:pk>/quitter/", views.leave, name="leave"),
    path("inscriptions/<int:pk>/contrat/", views.sign_contract, name="sign_contract"),
]

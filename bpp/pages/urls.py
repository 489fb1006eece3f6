from django.urls import path

from bpp.pages import (
    imports_views,
    indicators_views,
    my_data,
    placement,
    programme_views,
    quality_views,
    views,
)

app_name = "portals"

urlpatterns = [
    path("agent/", views.agent, name="agent"),
    path("agent/mes-donnees.zip", my_data.download, name="my_data"),
    path("agent/mon-programme/", programme_views.programme, name="programme"),
    path("agent/mon-programme/<int:pk>/", programme_views.exercise, name="exercise"),
    path("agent/mon-programme/<int:pk>/montrer/", programme_views.show_answer, name="show_answer"),
    path("agent/mon-programme/<int:pk>/copier/", programme_views.copy_answer, name="copy_answer"),
    path(
        "promotions/<int:pk>/programme/", programme_views.cohort_programme, name="cohort_programme"
    ),
    path(
        "promotions/<int:pk>/programme/personnaliser/",
        programme_views.cohort_programme_customise,
        name="cohort_programme_customise",
    ),
    path(
        "promotions/<int:pk>/programme/reprendre/",
        programme_views.cohort_programme_reset,
        name="cohort_programme_reset",
    ),
    path(
        "promotions/<int:pk>/programme/ajouter/",
        programme_views.cohort_programme_add,
        name="cohort_programme_add",
    ),
    path(
        "administration-rh/<int:pk>/programme/",
        programme_views.employer_programme,
        name="employer_programme",
    ),
    path(
        "administration-rh/<int:pk>/programme/personnaliser/",
        programme_views.employer_programme_customise,
        name="employer_programme_customise",
    ),
    path(
        "administration-rh/<int:pk>/programme/reprendre/",
        programme_views.employer_programme_reset,
        name="employer_programme_reset",
    ),
    path(
        "administration-rh/<int:pk>/programme/ajouter/",
        programme_views.employer_programme_add,
        name="employer_programme_add",
    ),
    path(
        "programme/elements/<int:pk>/modifier/",
        programme_views.programme_item_edit,
        name="programme_item_edit",
    ),
    path(
        "programme/elements/<int:pk>/supprimer/",
        programme_views.programme_item_delete,
        name="programme_item_delete",
    ),
    path("encadrement/", views.manager, name="manager"),
    path("rh/", views.hr, name="hr"),
    path("rh/demandes.xlsx", views.hr_requests_xlsx, name="hr_requests_xlsx"),
    path("conseiller/", views.cmc, name="cmc"),
    path("prestataire/", views.provider, name="provider"),
    path("referent-handicap/", views.disability_officer, name="disability_officer"),
    path("administration-rh/", views.hr_admin, name="hr_admin"),
    path("administration-rh/<int:pk>/imports/", imports_views.imports, name="imports"),
    path(
        "administration-rh/<int:pk>/imports/correspondance/",
        imports_views.import_mapping,
        name="import_mapping",
    ),
    path("administration-rh/imports/<int:pk>/", imports_views.import_run, name="import_run"),
    path(
        "administration-rh/imports/<int:pk>/confirmer/",
        imports_views.confirm_import,
        name="import_confirm",
    ),
    path(
        "administration-rh/imports/<int:pk>/abandonner/",
        imports_views.abandon_import,
        name="import_abandon",
    ),
    path("indicateurs/", indicators_views.indicators, name="indicators"),
    path("promotions/<int:pk>/inscrire/", placement.place, name="place"),
    path("indicateurs.csv", indicators_views.indicators_csv, name="indicators_csv"),
    path("qualite/<int:pk>/<int:year>/", quality_views.index, name="quality_index"),
    path(
        "qualite/<int:pk>/<int:year>/declaration/",
        quality_views.declaration,
        name="quality_declaration",
    ),
    path(
        "qualite/<int:pk>/<int:year>/criteres/", quality_views.assessment, name="quality_criteria"
    ),
    path("qualite/<int:pk>/<int:year>/rapport-csa.pdf", quality_views.csa_pdf, name="csa_pdf"),
    path("qualite/<int:pk>/<int:year>/rapport-csa.xlsx", quality_views.csa_xlsx, name="csa_xlsx"),
    path(
        "qualite/<int:pk>/<int:year>/base-donnees-sociales.csv",
        quality_views.social_database,
        name="social_database",
    ),
]

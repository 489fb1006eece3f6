from django.urls import path

from cohorts import agenda_views, evaluations_views, sessions_views, views

app_name = "cohorts"

urlpatterns = [
    path("offre/", views.offer, name="offer"),
    path("promotions/", views.dashboard, name="dashboard"),
    path("promotions/nouvelle/", views.edit, name="create"),
    path("promotions/<int:pk>/", views.detail, name="detail"),
    path("promotions/<int:pk>/modifier/", views.edit, name="edit"),
    path("promotions/<int:pk>/avancer/", views.progress, name="progress"),
    path("promotions/<int:pk>/derogation/", views.allow_small_start, name="allow_small_start"),
    path("file-d-attente/", views.queue, name="queue"),
    path("file-d-attente.csv", views.queue_csv, name="queue_csv"),
    path("file-d-attente.xlsx", views.queue_xlsx, name="queue_xlsx"),
    path("promotions/emargements.xlsx", views.attendance_xlsx, name="attendance_xlsx"),
    path("file-d-attente/historique/", views.queue_history, name="queue_history"),
    path("promotions/<int:pk>/seances/nouvelle/", sessions_views.create, name="session_create"),
    path(
        "promotions/<int:pk>/entretiens/nouveaux/",
        sessions_views.create_interviews,
        name="interviews_create",
    ),
    path("seances/<int:pk>/modifier/", sessions_views.edit, name="session_edit"),
    path("seances/<int:pk>/annuler/", sessions_views.cancel, name="session_cancel"),
    path("seances/<int:pk>/emargement/", sessions_views.attendance, name="attendance"),
    path(
        "seances/<int:pk>/emargement/code/", sessions_views.attendance_code, name="attendance_code"
    ),
    path(
        "seances/<int:pk>/emargement/certifier/",
        sessions_views.certify,
        name="certify_attendance",
    ),
    path("seances/<int:pk>/signer/", sessions_views.sign, name="sign_presence"),
    path(
        "seances/<int:pk>/emargement.pdf", sessions_views.attendance_sheet, name="attendance_sheet"
    ),
    path("seances/<int:pk>/seance.ics", sessions_views.session_ics, name="session_ics"),
    path("agenda/", agenda_views.week, name="agenda"),
    path("agenda/abonnement/<slug:token>.ics", agenda_views.calendar_feed, name="calendar_feed"),
    path("agent/mon-agenda.ics", sessions_views.my_calendar, name="my_calendar"),
    path("agent/resultats-qualite/", evaluations_views.quality, name="quality"),
    path("questionnaires/<int:pk>/", evaluations_views.answer, name="evaluation"),
    path("promotions/<int:pk>/satisfaction/", evaluations_views.results, name="evaluation_results"),
    path("promotions/<int:pk>/confidentialite/", views.confidentiality, name="confidentiality"),
    path("inscriptions/<int:pk>/quitter/", views.leave, name="leave"),
    path("inscriptions/<int:pk>/contrat/", views.sign_contract, name="sign_contract"),
]

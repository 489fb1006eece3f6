from django.urls import path

from synthesis import (
    copies_views,
    follow_ups_views,
    share_requests_views,
    support_views,
    views,
)

app_name = "synthesis"

urlpatterns = [
    path("ma-synthese/", views.mine, name="mine"),
    path("syntheses/", views.index, name="index"),
    path("syntheses/<int:pk>/", views.detail, name="detail"),
    path("syntheses/<int:pk>/rediger/", views.edit, name="edit"),
    path("syntheses/<int:pk>/brouillon/", views.autosave, name="autosave"),
    path("syntheses/<int:pk>/brouillon/abandonner/", views.discard_draft, name="discard_draft"),
    path("syntheses/<int:pk>/commenter/", views.comment, name="comment"),
    path("syntheses/<int:pk>/versions/", views.versions, name="versions"),
    path("syntheses/<int:pk>/versions/<int:number>/", views.version, name="version"),
    path("syntheses/<int:pk>/pdf/", views.download, name="pdf"),
    path("syntheses/<int:pk>/finaliser/", views.finalise, name="finalise"),
    path("syntheses/<int:pk>/rouvrir/", views.reopen, name="reopen"),
    path("syntheses/<int:pk>/signer/", views.sign, name="sign"),
    path("syntheses/<int:pk>/partage/", views.sharing, name="sharing"),
    path("syntheses/<int:pk>/detruire/", views.destroy, name="destroy"),
    path("syntheses/<int:pk>/transmettre/", views.transmit, name="transmit"),
    path("syntheses/<int:pk>/animateurs/", views.answer_leader, name="answer_leader"),
    path("agents/<int:pk>/demande-de-partage/", share_requests_views.ask, name="ask"),
    path(
        "demandes-de-partage/<int:pk>/repondre/",
        share_requests_views.answer,
        name="answer_share_request",
    ),
    path("syntheses/<int:pk>/entretien-d-appui/", support_views.ask, name="support_ask"),
    path("entretiens-d-appui/<int:pk>/", support_views.answer, name="support_answer"),
    path("suivis/<int:pk>/", follow_ups_views.follow_up, name="follow_up"),
    path(
        "promotions/<int:pk>/suivis/", follow_ups_views.cohort_follow_ups, name="cohort_follow_ups"
    ),
    path("promotions/<int:pk>/syntheses/", views.cohort, name="cohort"),
    path("promotions/<int:pk>/syntheses.zip", views.cohort_zip, name="cohort_zip"),
    path(
        "promotions/<int:pk>/copies-du-prestataire/",
        copies_views.cohort_copies,
        name="cohort_copies",
    ),
    path("prestataire/destruction-des-copies/", copies_views.destruction, name="destruction"),
]

from django.urls import path

from bpp.requests import views

app_name = "requests"

urlpatterns = [
    path("agent/demande/", views.new, name="new"),
    path("demandes/<int:pk>/", views.detail, name="detail"),
    path("demandes/<int:pk>/proposition/", views.answer_proposal, name="answer_proposal"),
    path(
        "demandes/<int:pk>/referent-handicap/",
        views.disability_officer,
        name="disability_officer",
    ),
    path("demandes/<int:pk>/retrait/", views.withdraw, name="withdraw"),
    path("demandes/<int:pk>/decision/", views.decide, name="decide"),
    path("demandes/<int:pk>/report/", views.postponement, name="postponement"),
    path("demandes/a-decider/", views.to_decide, name="to_decide"),
    path("agents/<int:agent_pk>/proposer-un-bilan/", views.propose, name="propose"),
]

from django.urls import path

from internkontroll.followups import deviations, views

app_name = "followups"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("uppfoljningstavla/", views.board, name="board"),
    path("atgarder/<int:pk>/uppfoljning/", views.report_action, name="report_action"),
    path("underlag/<int:pk>/", views.evidence, name="evidence"),
    path("avvikelser/<int:pk>/atgard/", deviations.answer, name="answer_deviation"),
    path("risker/<int:pk>/uppfoljning/", views.report_risk, name="report_risk"),
    path(
        "kontrollaktiviteter/<int:pk>/uppfoljning/",
        views.report_control_activity,
        name="report_control_activity",
    ),
]

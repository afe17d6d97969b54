from django.urls import path

from internkontroll.followups import views

app_name = "followups"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("atgarder/<int:pk>/uppfoljning/", views.report_action, name="report_action"),
    path("underlag/<int:pk>/", views.evidence, name="evidence"),
    path("risker/<int:pk>/uppfoljning/", views.report_risk, name="report_risk"),
    path(
        "kontrollaktiviteter/<int:pk>/uppfoljning/",
        views.report_control_activity,
        name="report_control_activity",
    ),
]

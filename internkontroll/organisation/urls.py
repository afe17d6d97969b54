from django.urls import path

from internkontroll.organisation import views

app_name = "organisation"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("installningar/", views.settings, name="settings"),
    path("enheter/ny/", views.unit_create, name="unit_create"),
    path("enheter/<int:pk>/andra/", views.unit_edit, name="unit_edit"),
    path("mal/ny/", views.goal_create, name="goal_create"),
    path("mal/<int:pk>/andra/", views.goal_edit, name="goal_edit"),
    path("processer/ny/", views.process_create, name="process_create"),
    path("processer/<int:pk>/andra/", views.process_edit, name="process_edit"),
    path("riskomraden/ny/", views.risk_area_create, name="risk_area_create"),
    path("riskomraden/<int:pk>/andra/", views.risk_area_edit, name="risk_area_edit"),
]

from django.urls import path

from internkontroll.reports import views

app_name = "reports"

urlpatterns = [
    path("<slug:kind>/<int:plan_pk>/", views.report, name="report"),
]

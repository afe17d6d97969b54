from django.urls import path

from internkontroll.jobs import views

app_name = "jobs"

urlpatterns = [
    path("<uuid:pk>/", views.status, name="status"),
    path("<uuid:pk>/fil/", views.file, name="file"),
]

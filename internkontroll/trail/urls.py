from django.urls import path

from internkontroll.trail import views

app_name = "trail"

urlpatterns = [
    path("", views.log, name="log"),
]

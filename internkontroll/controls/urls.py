from django.urls import path

from internkontroll.controls import views

app_name = "controls"
urlpatterns = [
    path("ny/<int:risk_pk>/", views.create, name="create"),
    path("<int:pk>/andra/", views.edit, name="edit"),
]

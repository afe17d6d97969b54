from django.urls import path

from internkontroll.risks import views

app_name = "risks"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("<int:pk>/", views.detail, name="detail"),
]

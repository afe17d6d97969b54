from django.urls import path

from internkontroll.audits import views

app_name = "audits"
urlpatterns = [
    path("", views.index, name="index"),
    path("ny/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/andra/", views.edit, name="edit"),
    path(
        "<int:pk>/rekommendationer/ny/",
        views.recommendation_create,
        name="recommendation_create",
    ),
    path(
        "rekommendationer/<int:pk>/andra/",
        views.recommendation_edit,
        name="recommendation_edit",
    ),
    path(
        "rekommendationer/<int:pk>/uppfoljning/",
        views.recommendation_follow_up,
        name="recommendation_follow_up",
    ),
]

from django.urls import path

from internkontroll.risks import views

app_name = "risks"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("ny/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/andra/", views.edit, name="edit"),
    path("<int:pk>/atgarder/ny/", views.action_create, name="action_create"),
    path("atgarder/<int:pk>/andra/", views.action_edit, name="action_edit"),
]

from django.urls import path

from internkontroll.api import views

app_name = "api_pages"
urlpatterns = [
    path("konto/api-nycklar/", views.tokens, name="tokens"),
    path("konto/api-nycklar/<int:pk>/aterkalla/", views.revoke, name="revoke"),
    path("api/docs/", views.docs, name="docs"),
]

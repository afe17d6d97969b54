from django.contrib.auth import views as auth_views
from django.urls import path

from internkontroll.accounts import views

app_name = "accounts"
urlpatterns = [
    path("logga-in/", views.login, name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("demo-inloggning/", views.demo_login, name="demo_login"),
]

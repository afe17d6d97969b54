from django.contrib.auth import views as auth_views
from django.urls import path

from internkontroll.accounts import views

app_name = "accounts"
urlpatterns = [
    path("logga-in/", views.login, name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("demo-inloggning/", views.demo_login, name="demo_login"),
    path("losenord/", views.password_reset, name="password_reset"),
    path("losenord/skickat/", views.password_reset_done, name="password_reset_done"),
    path(
        "losenord/nytt/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("losenord/klart/", views.password_reset_complete, name="password_reset_complete"),
]

from django.contrib.auth import views as auth_views
from django.urls import path

from internkontroll.accounts import users, views

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
    path("e-post/<str:token>/", views.email_confirm, name="email_confirm"),
]

urlpatterns += [
    path("anvandare/", users.users, name="users"),
    path("anvandare/ny/", users.user_create, name="user_create"),
    path("anvandare/<int:pk>/andra/", users.user_edit, name="user_edit"),
    path("anvandare/<int:pk>/roller/ny/", users.role_add, name="role_add"),
    path("roller/<int:pk>/ta-bort/", users.role_remove, name="role_remove"),
]

from django.urls import path

from internkontroll.nominations import views

app_name = "nominations"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("ny/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/godta/", views.accept, name="accept"),
    path("<int:pk>/returnera/", views.send_back, name="send_back"),
    path("<int:pk>/aterkalla/", views.withdraw, name="withdraw"),
    path("plan/<int:pk>/", views.queue, name="queue"),
]

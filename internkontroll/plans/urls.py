from django.urls import path

from internkontroll.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.current, name="current"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/faststall/", views.adopt, name="adopt"),
    path("<int:pk>/bedomning/", views.assessment, name="assessment"),
    path("versioner/<int:pk>/", views.version, name="version"),
]

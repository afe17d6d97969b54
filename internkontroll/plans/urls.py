from django.urls import path

from internkontroll.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.current, name="current"),
    path("ny/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/faststall/", views.adopt, name="adopt"),
    path("<int:pk>/bedomning/", views.assessment, name="assessment"),
    path("<int:pk>/status/", views.lifecycle_step, name="lifecycle"),
    path("<int:pk>/nasta-ar/", views.rollover_view, name="rollover"),
    path("<int:pk>/nasta-ar/angra/", views.rollover_undo, name="rollover_undo"),
    path("versioner/<int:pk>/", views.version, name="version"),
]

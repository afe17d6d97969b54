from django.urls import path

from internkontroll.reports import intro_views, views

app_name = "reports"

urlpatterns = [
    # Before the reports by kind, whose pattern "versioner/<n>/" would also match.
    path("versioner/<int:version_pk>/", views.version, name="version"),
    path("<slug:kind>/<int:plan_pk>/", views.report, name="report"),
    path("<int:plan_pk>/inledningar/", intro_views.index, name="introductions"),
    path("<int:plan_pk>/inledningar/<slug:kind>/", intro_views.edit, name="introduction"),
    path(
        "<int:plan_pk>/inledningar/<slug:kind>/aterstall/",
        intro_views.reset,
        name="introduction_reset",
    ),
]

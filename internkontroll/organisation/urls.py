from django.urls import path

from internkontroll.organisation import matrix_views, period_views, views

PROCESSES = {"catalogue": views.PROCESSES}
RISK_AREAS = {"catalogue": views.RISK_AREAS}

app_name = "organisation"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("installningar/", views.settings, name="settings"),
    path(
        "installningar/rapportmall/standard/",
        views.report_template_default,
        name="report_template_default",
    ),
    path(
        "installningar/rapportmall/",
        views.report_template_download,
        name="report_template_download",
    ),
    path(
        "installningar/rapportmall/ladda-upp/",
        views.report_template_upload,
        name="report_template_upload",
    ),
    path(
        "installningar/rapportmall/ta-bort/",
        views.report_template_remove,
        name="report_template_remove",
    ),
    path("installningar/riskmatris/", matrix_views.matrix_edit, name="matrix_edit"),
    path("perioder/<int:pk>/andra/", views.period_edit, name="period_edit"),
    path("perioder/ny/", period_views.period_create, name="period_create"),
    path("perioder/<int:pk>/redigera/", period_views.period_change, name="period_change"),
    path("perioder/<int:pk>/ta-bort/", period_views.period_delete, name="period_delete"),
    path("enheter/ny/", views.unit_create, name="unit_create"),
    path("enheter/<int:pk>/andra/", views.unit_edit, name="unit_edit"),
    path("mal/ny/", views.goal_create, name="goal_create"),
    path("mal/<int:pk>/andra/", views.goal_edit, name="goal_edit"),
    path("processer/ny/", views.named_create, PROCESSES, name="process_create"),
    path("processer/<int:pk>/andra/", views.named_edit, PROCESSES, name="process_edit"),
    path("riskomraden/ny/", views.named_create, RISK_AREAS, name="risk_area_create"),
    path("riskomraden/<int:pk>/andra/", views.named_edit, RISK_AREAS, name="risk_area_edit"),
]

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("internkontroll.followups.urls")),
    path("konto/", include("internkontroll.accounts.urls")),
    path("risker/", include("internkontroll.risks.urls")),
    path("kontrollaktiviteter/", include("internkontroll.controls.urls")),
    path("planer/", include("internkontroll.plans.urls")),
    path("revision/", include("internkontroll.audits.urls")),
    path("organisation/", include("internkontroll.organisation.urls")),
    path("sok/", include("internkontroll.search.urls")),
    path("rapporter/", include("internkontroll.reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

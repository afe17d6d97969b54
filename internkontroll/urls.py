from django.contrib import admin
from django.urls import include, path

from internkontroll import health
from internkontroll.accounts import oidc
from internkontroll.api.api import api

urlpatterns = [
    path("", include("internkontroll.followups.urls")),
    path("konto/", include("internkontroll.accounts.urls")),
    # Single sign-on, under the names mozilla-django-oidc reverses; 404 unless configured.
    path("oidc/start/", oidc.AuthenticateView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", oidc.CallbackView.as_view(), name="oidc_authentication_callback"),
    path("risker/", include("internkontroll.risks.urls")),
    path("forslag/", include("internkontroll.nominations.urls")),
    path("kontrollaktiviteter/", include("internkontroll.controls.urls")),
    path("planer/", include("internkontroll.plans.urls")),
    path("arbetsbocker/", include("internkontroll.workbooks.urls")),
    path("revision/", include("internkontroll.audits.urls")),
    path("organisation/", include("internkontroll.organisation.urls")),
    path("sok/", include("internkontroll.search.urls")),
    path("historik/", include("internkontroll.trail.urls")),
    path("rapporter/jobb/", include("internkontroll.jobs.urls")),
    path("paminnelser/", include("internkontroll.reminders.urls")),
    path("rapporter/", include("internkontroll.reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("halsa/", health.health, name="health"),
    # The API's own pages (tokens, docs) before the API, which answers everything under api/.
    path("", include("internkontroll.api.urls")),
    path("api/", api.urls),
]

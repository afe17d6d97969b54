from django.contrib import admin
from django.urls import include, path

from internkontroll import health
from internkontroll.accounts import oidc

urlpatterns = [
    path("", include("internkontroll.followups.urls")),
    path("konto/", include("internkontroll.accounts.urls")),
    # Single sign-on, under the names mozilla-django-oidc reverses; 404 unless configured.
    path("oidc/start/", oidc.AuthenticateView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", oidc.CallbackView.as_view(), name="oidc_authentication_callback"),
    path("risker/", include("internkontroll.risks.urls")),
    path("kontrollaktiviteter/", include("internkontroll.controls.urls")),
    path("planer/", include("internkontroll.plans.urls")),
    path("revision/", include("internkontroll.audits.urls")),
    path("organisation/", include("internkontroll.organisation.urls")),
    path("sok/", include("internkontroll.search.urls")),
    path("historik/", include("internkontroll.trail.urls")),
    path("rapporter/jobb/", include("internkontroll.jobs.urls")),
    path("rapporter/", include("internkontroll.reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("halsa/", health.health, name="health"),
]

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("internkontroll.followups.urls")),
    path("konto/", include("internkontroll.accounts.urls")),
    path("risker/", include("internkontroll.risks.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

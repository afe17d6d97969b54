from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GenerateConfig(AppConfig):
    name = "internkontroll.generate"
    verbose_name = _("synthetic data")

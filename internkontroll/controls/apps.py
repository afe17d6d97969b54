from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ControlsConfig(AppConfig):
    name = "internkontroll.controls"
    verbose_name = _("control activities")

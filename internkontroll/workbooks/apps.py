from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbooksConfig(AppConfig):
    name = "internkontroll.workbooks"
    verbose_name = _("Excel workbooks")

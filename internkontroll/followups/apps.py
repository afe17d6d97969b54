from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "internkontroll.followups"
    verbose_name = _("follow-ups")

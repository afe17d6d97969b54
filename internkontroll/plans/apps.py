from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "internkontroll.plans"
    verbose_name = _("plans")

    def ready(self) -> None:
        from internkontroll.lib.versioning import register_write_check
        from internkontroll.plans.lifecycle import refuse_writes_to_closed_plans

        register_write_check(refuse_writes_to_closed_plans)

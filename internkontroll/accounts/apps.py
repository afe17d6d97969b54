from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "internkontroll.accounts"
    verbose_name = _("users and roles")

    def ready(self) -> None:
        # Every query of every app goes through the gate this app holds: the ORM's columns
        # are made cheaper to compare here, once per process (see lib/columns.py).
        from internkontroll.lib import columns

        columns.install()

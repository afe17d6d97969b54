"""The cast for the administrators' scope: people wider than an administrator, and a narrow one."""

from __future__ import annotations

from internkontroll.accounts.models import Role
from internkontroll.test import BaseTestCase, make_user


class AdministratorScopeTestCase(BaseTestCase):
    """Adds a superuser and a staff user of Exempelstad, and an administrator of sn only."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.superuser = make_user("superuser", cls.organisation)
        cls.superuser.is_superuser = True
        cls.staff = make_user("personal", cls.organisation, [(Role.READER, cls.sf)])
        cls.staff.is_staff = True
        for person in (cls.superuser, cls.staff):
            person.email = f"{person.username}@example.se"
            person.save()
        # An administrator of socialnämnden and everything below it.
        cls.sn_admin = make_user("sn-admin", cls.organisation, [(Role.ADMIN, cls.sn)])

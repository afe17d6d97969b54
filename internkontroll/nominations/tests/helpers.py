"""The cast of the nomination tests: socialnämnden's plan for next year, and a second unit."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from internkontroll.accounts.models import Role, User
from internkontroll.nominations.models import Nomination
from internkontroll.test import BaseTestCase, make_plan, make_user

# In the autumn of 2025, while the units propose risks for the plans of 2025 and 2026.
TODAY = datetime.datetime(2025, 10, 6, 9, tzinfo=datetime.UTC)


class NominationTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.sn_next = make_plan(cls.sn, year=2026)
        cls.sn_old = make_plan(cls.sn, year=2024)
        # A responsible person in the children's unit, beside the adults' unit.
        cls.barn = make_user("barnchef", cls.organisation, [(Role.RESPONSIBLE, cls.sf_barn)])


def nominate(unit: Any, user: User, plan: Any, **fields: Any) -> Nomination:
    """A proposal awaiting a decision, recorded in history as the action records it."""
    nomination = Nomination(
        plan=plan,
        unit=unit,
        proposed_by=user,
        title=fields.pop("title", "Hot mot personal vid hembesök"),
        motivation=fields.pop("motivation", "Tre incidenter i år."),
        proposed_at=fields.pop("proposed_at", timezone.now()),
        **fields,
    )
    nomination._history_user = user  # type: ignore[attr-defined]
    nomination.save()
    return nomination

"""Two people creating at the same moment both succeed (or one is told why), never a 500."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client, TransactionTestCase
from django.urls import reverse

from internkontroll.accounts.models import Role
from internkontroll.organisation.models import RiskArea
from internkontroll.risks.models import Action, Risk
from internkontroll.test import make_organisation, make_plan, make_risk, make_unit, make_user


def at_once(url: str, user: Any, forms: list[dict[str, Any]]) -> list[int]:
    """Post each form from its own thread (and database connection), released together."""
    barrier = threading.Barrier(len(forms))
    statuses: list[int] = []

    def post(data: dict[str, Any]) -> None:
        try:
            client = Client(raise_request_exception=False)
            client.force_login(user)
            barrier.wait()
            statuses.append(client.post(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(data,)) for data in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a database where two connections write at once (PostgreSQL)",
)
class ConcurrentCreateTests(TransactionTestCase):
    def setUp(self) -> None:
        organisation = make_organisation("Exempelstad")
        self.sn = make_unit(organisation, "sn", "committee", name="Socialnämnden")
        self.plan = make_plan(self.sn)
        self.risk = make_risk(self.plan, "r-1")
        self.user = make_user("samordnare", organisation, [(Role.COORDINATOR, self.sn)])

    def test_two_risks_added_to_one_plan_at_once_get_different_identifiers(self) -> None:
        url = reverse("risks:create") + f"?plan={self.plan.pk}"
        forms = [{"title": title, "area_name": "Ny riskkategori"} for title in ("A", "B")]
        statuses = at_once(url, self.user, forms)
        assert 500 not in statuses
        created = Risk.objects.filter(plan=self.plan).exclude(pk=self.risk.pk)
        assert sorted(statuses) in ([302, 302], [302, 422])
        assert created.count() == statuses.count(302)
        identifiers = list(created.values_list("external_id", flat=True))
        assert len(set(identifiers)) == len(identifiers)
        # The new area was made once and both risks (if saved) lie under it.
        assert RiskArea.objects.filter(name="Ny riskkategori").count() == 1

    def test_two_actions_added_to_one_risk_at_once_get_different_identifiers(self) -> None:
        url = reverse("risks:action_create", args=[self.risk.pk])
        forms = [{"title": title, "status": "not_started"} for title in ("A", "B")]
        statuses = at_once(url, self.user, forms)
        assert statuses == [302, 302]
        identifiers = sorted(
            Action.objects.filter(risk=self.risk).values_list("external_id", flat=True)
        )
        assert identifiers == ["a-1", "a-2"]

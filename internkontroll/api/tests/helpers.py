"""The cast of BaseTestCase, each with an API token, and requests made with them."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.test import Client

from internkontroll.api.actions import create_token
from internkontroll.organisation.models import Goal
from internkontroll.plans.versions import record_version
from internkontroll.risks.models import Action
from internkontroll.test import BaseTestCase

PERSONAS = ("admin", "coordinator", "responsible", "reader", "auditor", "outsider")


class ApiTestCase(BaseTestCase):
    """The cast with a token each, sn's action assigned to the responsible person (below the
    committee), a goal of sn and an adopted version of sn's plan."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        Action.objects.filter(pk=cls.sn_action.pk).update(assignee=cls.responsible)
        cls.sn_action.refresh_from_db()
        cls.goal = Goal.objects.create(
            organisation=cls.organisation, external_id="1.1", unit=cls.sn, year=2025, title="Mål"
        )
        cls.adopted_version = record_version(
            cls.sn_plan,
            kind="plan",
            decided_on=datetime.date(2024, 12, 12),
            reference="SN-2024/259",
            acting_user=cls.coordinator,
        )
        cls.keys = {
            persona: create_token(
                getattr(cls, persona), name="test", expires_in_days=None, acting_user=None
            )[1]
            for persona in PERSONAS
        }

    def call(
        self,
        persona: str | None,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        **headers: str,
    ) -> Any:
        """A request to /api<path> with the persona's token (None: no token)."""
        if persona is not None:
            headers["Authorization"] = f"Bearer {self.keys[persona]}"
        client = Client(raise_request_exception=False)
        kwargs: dict[str, Any] = {"headers": headers}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(client, method.lower())(f"/api{path}", **kwargs)

    def ids(self, persona: str, path: str) -> set[int]:
        response = self.call(persona, "GET", path)
        assert response.status_code == 200, response.content
        return {item["id"] for item in response.json()["items"]}

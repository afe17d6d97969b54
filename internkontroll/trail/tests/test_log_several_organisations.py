"""A hosted instance: the log of one organisation's reader among other organisations' history.

The scope is looked up by the historical rows' own keys in subqueries, by the keys' indexes
for a small scope or by walking the time index for a large one; both ways must list exactly
the rows a plain reading of the keys gives, and never another organisation's.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from unittest import mock

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.access.trail import log_scope
from internkontroll.accounts.models import Role
from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.risks.models import Action
from internkontroll.test import BaseTestCase, make_user
from internkontroll.trail import queries
from internkontroll.trail.queries import KIND_BY_KEY, LogFilters, log_page

URL = reverse("trail:log")


def expected_rows(scope: Any) -> set[tuple[str, int]]:
    """The rows in scope, read the plain way: every historical row, judged in Python."""

    def rows(key: str) -> list[Any]:
        return list(KIND_BY_KEY[key].history.objects.all())

    units, organisations = scope.units, scope.organisations
    plans = {row.id for row in rows("plan") if row.unit_id in units}
    risks = {row.id for row in rows("risk") if row.plan_id in plans or row.unit_id in units}
    actions = {row.id for row in rows("action") if row.risk_id in risks}
    activities = {row.id for row in rows("control_activity") if row.risk_id in risks}
    reports = {
        row.id
        for row in rows("audit_report")
        if row.unit_id in units or row.organisation_id in organisations
    }
    recommendations = {row.id for row in rows("recommendation") if row.report_id in reports}
    rules: dict[str, Callable[[Any], bool]] = {
        "plan": lambda row: row.unit_id in units,
        "assessment": lambda row: row.plan_id in plans,
        "risk": lambda row: row.plan_id in plans or row.unit_id in units,
        "action": lambda row: row.risk_id in risks,
        "control_activity": lambda row: row.risk_id in risks,
        "follow_up": lambda row: (
            row.action_id in actions
            or row.control_activity_id in activities
            or row.risk_id in risks
            or row.recommendation_id in recommendations
        ),
        "audit_report": lambda row: row.id in reports,
        "recommendation": lambda row: row.report_id in reports,
        "nomination": lambda row: row.plan_id in plans or row.unit_id in units,
        "rollover_decision": lambda row: row.plan_id in plans or row.risk_id in risks,
    }
    return {(key, row.history_id) for key, rule in rules.items() for row in rows(key) if rule(row)}


def walking(walk: bool) -> Any:
    """Forces the way the log reads a scope: walking the time index, or looking keys up."""
    return mock.patch.object(queries, "large", return_value=walk)


def add_history(organisation_case: BaseTestCase, risk: Any, prefix: str, count: int) -> None:
    """Actions, control activities and follow-ups under a risk, and a report's follow-ups."""
    report = AuditReport.objects.create(
        organisation=risk.plan.unit.organisation,
        external_id=f"{prefix}-rev",
        unit=risk.plan.unit,
        title=f"{prefix} granskning",
    )
    recommendation = Recommendation.objects.create(
        report=report, external_id=f"{prefix}-rek", text=f"{prefix} rekommendation"
    )
    for n in range(count):
        action = Action.objects.create(
            risk=risk, external_id=f"{prefix}-a-{n}", title=f"{prefix} {n}"
        )
        activity = ControlActivity.objects.create(
            risk=risk,
            external_id=f"{prefix}-k-{n}",
            title=f"{prefix} kontroll {n}",
            method="sample",
        )
        day = datetime.date(2025, 5, 2)
        FollowUp.objects.create(action=action, date=day, comment=f"{prefix} åtgärd {n}")
        FollowUp.objects.create(control_activity=activity, date=day, comment=f"{prefix} kontroll")
        FollowUp.objects.create(recommendation=recommendation, date=day, comment=f"{prefix} rek")
        FollowUp.objects.create(risk=risk, date=day, comment=f"{prefix} risk {n}")


class SeveralOrganisationsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.bn_auditor = make_user("bn-revisor", cls.organisation, [(Role.AUDITOR, cls.bn)])
        cls.outside_admin = make_user("grannadmin", cls.other_organisation, [(Role.ADMIN, None)])
        add_history(cls, cls.sn_risk, "Egen", 3)
        add_history(cls, cls.other_risk, "Grannens", 3)

    def setUp(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def rows(self, user: Any, walk: bool) -> set[tuple[str, int]]:
        with walking(walk):
            page = log_page(log_scope(user), LogFilters(), size=1000)
        return {(key, history_id) for key, history_id, _date in page.rows}

    def test_both_ways_list_exactly_the_rows_in_scope(self) -> None:
        for user in (self.admin, self.auditor, self.bn_auditor, self.outside_admin):
            with self.subTest(user=user.username):
                expected = expected_rows(log_scope(user))
                assert expected
                assert self.rows(user, walk=True) == expected
                assert self.rows(user, walk=False) == expected

    def test_another_organisations_entries_never_show(self) -> None:
        self.client.force_login(self.admin)
        for walk in (True, False):
            with walking(walk):
                response = self.client.get(URL, {"kind": "follow_up"})
            texts = [entry.subject for entry in response.context["entries"]]
            assert texts and not any("Grannens" in text for text in texts)
            assert "Grannens" not in response.content.decode()

    def test_the_number_of_queries_does_not_grow_with_the_history(self) -> None:
        self.client.force_login(self.admin)
        counts = {}
        for walk in (True, False):
            with walking(walk), CaptureQueriesContext(connection) as before:
                response = self.client.get(URL, {"kind": "follow_up"})
            assert len(response.context["entries"]) < 50
            counts[walk] = len(before)
        add_history(self, self.sn_risk, "Mer", 20)
        add_history(self, self.other_risk, "Grannmer", 20)
        for walk in (True, False):
            with walking(walk), self.assertNumQueries(counts[walk]):
                response = self.client.get(URL, {"kind": "follow_up"})
            assert len(response.context["entries"]) == 50

    def test_a_large_scope_walks_and_a_small_one_looks_up(self) -> None:
        scope = log_scope(self.auditor)
        assert queries.large(scope)  # a committee with half the units of the instance
        with mock.patch.object(queries, "LARGE", 0.9):
            assert not queries.large(scope)

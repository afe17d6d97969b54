"""A risk's page costs the same queries in a small committee and in a large one."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.models import Action, Risk
from internkontroll.risks.tests.test_scale_risk_list import add_risks
from internkontroll.test import BaseTestCase, make_plan


class RiskPageQueryTests(BaseTestCase):
    def a_risk_among(self, plan: ControlPlan, count: int) -> Risk:
        """The first of `count` risks, with an action and a control activity followed up."""
        risk = add_risks(plan, count)[0]
        action = Action.objects.filter(risk=risk).get()
        activity = ControlActivity.objects.create(risk=risk, external_id="k", title="Kontroll")
        FollowUp.objects.create(action=action, date="2025-05-02", comment="Pågår.")
        FollowUp.objects.create(control_activity=activity, date="2025-05-02", result="no_remarks")
        return risk

    def queries_for(self, risk: Risk) -> int:
        url = reverse("risks:detail", args=[risk.pk])
        self.client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        assert response.status_code == 200
        assert risk.title in response.content.decode()
        return len(queries)

    def test_a_risk_of_a_committee_of_120_costs_the_queries_of_one_of_5(self) -> None:
        small = self.a_risk_among(make_plan(self.sn, 2031), 5)
        large = self.a_risk_among(make_plan(self.sn, 2032), 120)
        self.client.force_login(self.coordinator)
        assert self.queries_for(small) == self.queries_for(large)

    def test_and_so_for_a_reader_of_the_whole_organisation(self) -> None:
        small = self.a_risk_among(make_plan(self.sn, 2031), 5)
        large = self.a_risk_among(make_plan(self.sn, 2032), 120)
        self.client.force_login(self.reader)
        assert self.queries_for(small) == self.queries_for(large)

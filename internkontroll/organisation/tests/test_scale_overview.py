"""All committees side by side: counted by the database, a page of committees at a time."""

from __future__ import annotations

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.organisation.models import Organisation, RiskMatrix
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.models import Risk
from internkontroll.risks.tests.test_scale_risk_list import add_risks
from internkontroll.test import BaseTestCase, make_plan, make_unit

URL = reverse("organisation:overview")
SUMMER = datetime.datetime(2025, 7, 15, 12, tzinfo=datetime.UTC)


def add_committees(organisation: Organisation, count: int, risks: int = 2) -> None:
    for number in range(count):
        committee = make_unit(
            organisation, f"n-{number:02d}", "committee", name=f"Nämnd {number:02d}"
        )
        add_risks(make_plan(committee), risks, prefix=f"n{number}")


@time_machine.travel(SUMMER, tick=False)
class OverviewQueryTests(BaseTestCase):
    def queries(self) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert self.client.get(URL).status_code == 200
        return len(queries)

    def test_a_committee_of_120_risks_costs_the_queries_of_one_of_5(self) -> None:
        self.client.force_login(self.reader)
        add_risks(self.sn_plan, 4)
        five = self.queries()
        add_risks(self.sn_plan, 115, prefix="more")
        with self.assertNumQueries(five):
            response = self.client.get(URL)
        row = next(row for row in response.context["overview"].rows if row.unit == self.sn)
        assert row.total == 120

    def test_60_committees_cost_the_queries_of_3(self) -> None:
        self.client.force_login(self.reader)
        three = self.queries()
        add_committees(self.organisation, 60)
        with self.assertNumQueries(three):
            self.client.get(URL)


@time_machine.travel(SUMMER, tick=False)
class OverviewPageTests(BaseTestCase):
    def test_it_shows_50_committees_a_page_by_name(self) -> None:
        add_committees(self.organisation, 60)
        self.client.force_login(self.reader)
        first = self.client.get(URL)
        last = self.client.get(URL, {"page": 2})
        names = [row.unit.name for row in first.context["overview"].rows]
        names += [row.unit.name for row in last.context["overview"].rows]
        assert len(first.context["overview"].rows) == 50
        assert names == sorted(names) and len(names) == 63  # and ks, sn and bn
        assert "Visar 1–50 av 63" in first.content.decode()
        assert "Visar 51–63 av 63" in last.content.decode()
        assert 'aria-label="Sidor med nämnder"' in last.content.decode()

    def test_the_pager_keeps_the_year(self) -> None:
        add_committees(self.organisation, 60)
        self.client.force_login(self.reader)
        body = self.client.get(URL, {"year": 2025}).content.decode()
        assert "?year=2025&amp;page=2" in body

    def test_the_rows_of_a_later_page_are_counted_too(self) -> None:
        add_committees(self.organisation, 60, risks=5)
        self.client.force_login(self.reader)
        rows = self.client.get(URL, {"page": 2}).context["overview"].rows
        totals = {row.unit.name: row.total for row in rows}
        assert totals == {**{f"Nämnd {n}": 5 for n in range(48, 60)}, "Socialnämnden": 1}

    def test_a_coordinator_sees_no_pager_for_their_one_committee(self) -> None:
        add_committees(self.organisation, 60)
        self.client.force_login(self.coordinator)
        response = self.client.get(URL)
        assert [row.unit.name for row in response.context["overview"].rows] == ["Socialnämnden"]
        assert 'class="pager"' not in response.content.decode()

    def test_the_levels_follow_a_matrix_that_maps_its_cells(self) -> None:
        """A cell map can place a cell at a level its score would not give it."""
        matrix = RiskMatrix.objects.create(
            organisation=self.organisation,
            probability_labels=["L", "M", "H"],
            consequence_labels=["L", "M", "H"],
            levels=[
                {"name": "Låg", "min_score": 1, "color": "#2e7d32"},
                {"name": "Hög", "min_score": 5, "color": "#c62828"},
            ],
            cells=[["Låg", "Låg", "Hög"], ["Låg", "Låg", "Hög"], ["Hög", "Hög", "Hög"]],
        )
        committee = make_unit(self.organisation, "kn", "committee", name="Kulturnämnden")
        plan = ControlPlan.objects.create(unit=committee, year=2025, risk_matrix=matrix)
        for number, (p, c) in enumerate([(1, 3), (1, 3), (2, 2), (3, 1), (1, 1)]):
            Risk.objects.create(
                plan=plan, external_id=f"k{number}", title="K", probability=p, consequence=c
            )
        Risk.objects.create(plan=plan, external_id="none", title="Ej bedömd")
        self.client.force_login(self.reader)
        rows = self.client.get(URL).context["overview"].rows
        row = next(row for row in rows if row.unit == committee)
        counts = {level.name: level.count for level in row.levels}
        assert (row.total, row.critical) == (6, 3)
        assert counts["Låg"] == 2 and counts["Hög"] == 3
        assert counts["Kritisk"] is None  # not a level of this committee's matrix

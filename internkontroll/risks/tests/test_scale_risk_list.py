"""The risk list answers a page at a time, in the same few queries, whatever the plan's size."""

from __future__ import annotations

import datetime
import re

import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.organisation.models import RiskArea, Unit
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.models import Action, Risk
from internkontroll.test import BaseTestCase, make_plan

URL = reverse("risks:overview")


def add_risks(
    plan: ControlPlan, count: int, *, prefix: str = "s", unit: Unit | None = None, **fields: object
) -> list[Risk]:
    """`count` risks spread over the matrix's 16 cells, each with one open action."""
    risks = Risk.objects.bulk_create(
        Risk(
            plan=plan,
            external_id=f"{prefix}-{number}",
            title=f"Risk {prefix} {number:03d}",
            unit=unit,
            probability=1 + number % 4,
            consequence=1 + (number // 4) % 4,
            handling=["accept"] if number % 3 == 0 else ["mitigate"],
            **fields,
        )
        for number in range(count)
    )
    Action.objects.bulk_create(
        Action(
            risk=risk,
            external_id="a",
            title="Åtgärd",
            status="in_progress",
            due_date=datetime.date(2025, 3, 1),
        )
        for risk in risks
    )
    return risks


class RiskListQueryTests(BaseTestCase):
    def queries_for(self, plan: ControlPlan, **params: object) -> int:
        query = {"unit": plan.unit_id, "year": plan.year, **params}
        self.client.get(URL, query)  # remember the plan in the session first
        with CaptureQueriesContext(connection) as queries:
            assert self.client.get(URL, query).status_code == 200
        return len(queries)

    def test_a_committee_of_120_risks_costs_the_queries_of_one_of_5(self) -> None:
        small, large = make_plan(self.sn, 2031), make_plan(self.sn, 2032)
        add_risks(small, 5)
        add_risks(large, 120)
        self.client.force_login(self.coordinator)
        assert self.queries_for(small) == self.queries_for(large)

    def test_filters_sorting_and_later_pages_cost_no_more_queries(self) -> None:
        small, large = make_plan(self.sn, 2031), make_plan(self.sn, 2032)
        add_risks(small, 5)
        add_risks(large, 120)
        self.client.force_login(self.coordinator)
        filtered = {"handling": "mitigate", "action_status": "overdue", "sort": "level"}
        assert self.queries_for(small, **filtered) == self.queries_for(large, **filtered, page=2)

    def test_a_person_below_the_committee_costs_no_more_queries_either(self) -> None:
        small, large = make_plan(self.sn, 2031), make_plan(self.sn, 2032)
        add_risks(small, 5, unit=self.sf_vux)
        add_risks(large, 120, unit=self.sf_vux)
        self.client.force_login(self.responsible)
        assert self.queries_for(small) == self.queries_for(large)

    def test_an_unfiltered_list_counts_its_risks_once(self) -> None:
        plan = make_plan(self.sn, 2031)
        add_risks(plan, 5)
        self.client.force_login(self.coordinator)
        query = {"unit": plan.unit_id, "year": plan.year, "sort": "title"}
        self.client.get(URL, query)
        with CaptureQueriesContext(connection) as queries:
            self.client.get(URL, query)
        # The risks counted in all, as the query's own table (the heat map counts them by
        # cell, with GROUP BY; the action summary counts actions, of risks in a subquery).
        heads = [q["sql"].split(" WHERE ")[0] for q in queries if "GROUP BY" not in q["sql"]]
        counts = [head for head in heads if "COUNT(" in head and 'FROM "risks_risk"' in head]
        assert len(counts) == 1


@time_machine.travel(datetime.date(2025, 9, 10), tick=False)
class RiskListPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.large = make_plan(cls.sn, 2032)
        add_risks(cls.large, 120)

    def get(self, **params: object) -> object:
        self.client.force_login(self.coordinator)
        return self.client.get(URL, {"unit": self.sn.pk, "year": 2032, **params})

    def test_the_first_page_holds_50_risks_and_says_how_many_there_are(self) -> None:
        response = self.get()
        body = response.content.decode()
        assert len(response.context["risks"]) == 50
        assert body.count('href="/risker/') >= 50
        assert "120 risker av 120" in body
        assert "Visar 1–50 av 120" in body
        assert 'aria-label="Sidor i risklistan"' in body
        assert "Föregående" not in body
        assert re.search(r'<a href="[^"]*page=2" rel="next"[^>]*>Nästa</a>', body)

    def test_the_last_page_holds_the_rest(self) -> None:
        response = self.get(page=3)
        body = response.content.decode()
        assert [risk.title for risk in response.context["risks"]] == [
            f"Risk s {number:03d}" for number in range(100, 120)
        ]
        assert "Visar 101–120 av 120" in body
        assert re.search(r'<a href="[^"]*page=2" rel="prev"[^>]*>Föregående</a>', body)
        assert "Nästa" not in body

    def test_the_current_page_is_marked_for_assistive_technology(self) -> None:
        body = self.get(page=2).content.decode()
        pager = body[body.index('<nav class="pager"') :]
        pager = pager[: pager.index("</nav>")]
        current = r'aria-current="page"[^>]*><span class="visually-hidden">Sida </span>2</a>'
        assert re.search(current, pager)
        assert pager.count('aria-current="page"') == 1

    def test_a_page_beyond_the_last_shows_the_last(self) -> None:
        assert self.get(page=99).context["pager"].page.number == 3
        assert self.get(page="x").context["pager"].page.number == 1

    def test_the_pager_keeps_the_filters_and_the_sort(self) -> None:
        body = self.get(handling="mitigate", sort="title").content.decode()
        assert (
            f"?unit={self.sn.pk}&amp;year=2032&amp;handling=mitigate&amp;sort=title&amp;page=2"
            in (body)
        )

    def test_filters_narrow_every_page_and_the_count(self) -> None:
        response = self.get(handling="accept")
        assert response.context["pager"].page.paginator.count == 40  # every third risk
        assert all(risk.handling == ["accept"] for risk in response.context["risks"])
        assert "40 risker av 120" in response.content.decode()

    def test_the_heat_map_counts_every_filtered_risk_not_only_the_page(self) -> None:
        response = self.get()
        cells = {cell.key: cell.count for row in response.context["grid"] for cell in row.cells}
        assert sum(cells.values()) == 120
        assert cells["1-1"] == 8  # 120 risks over 16 cells, the first 8 cells get one more
        assert cells["4-4"] == 7

    def test_a_cell_narrows_the_list_but_not_the_heat_map(self) -> None:
        response = self.get(cell="1-1")
        assert len(response.context["risks"]) == 8
        assert {(r.probability, r.consequence) for r in response.context["risks"]} == {(1, 1)}
        cells = [cell.count for row in response.context["grid"] for cell in row.cells]
        assert sum(cells) == 120

    def test_the_action_counts_cover_the_whole_plan(self) -> None:
        counts = {code: count for code, _l, count in self.get().context["action_counts"]}
        assert counts["in_progress"] == 120
        assert counts["overdue"] == 120

    def test_sorting_by_level_puts_the_critical_risks_first(self) -> None:
        risks = self.get(sort="level").context["risks"]
        levels = [risk.level.name for risk in risks]
        assert levels[0] == "Kritisk"
        assert levels == sorted(levels, key=["Kritisk", "Hög", "Medel", "Låg"].index)

    def test_sorting_by_title_orders_the_whole_list(self) -> None:
        titles = [risk.title for risk in self.get(sort="title", page=2).context["risks"]]
        assert titles == [f"Risk s {number:03d}" for number in range(50, 100)]

    def test_the_free_text_filter_narrows_the_count_but_not_the_total(self) -> None:
        response = self.get(q="risk s 00", sort="title")
        assert response.context["pager"].page.paginator.count == 10
        assert "10 risker av 120" in response.content.decode()

    def test_the_free_text_filter_ignores_case(self) -> None:
        assert [r.title for r in self.get(q="RISK S 007").context["risks"]] == ["Risk s 007"]

    def test_the_filter_by_area_lists_only_the_areas_in_use(self) -> None:
        area = RiskArea.objects.create(organisation=self.organisation, name="Ekonomi")
        RiskArea.objects.create(organisation=self.organisation, name="Oanvänd")
        Risk.objects.filter(plan=self.large, external_id__in=["s-1", "s-2"]).update(area=area)
        response = self.get(area=area.pk)
        assert [r.title for r in response.context["risks"]] == ["Risk s 001", "Risk s 002"]
        assert response.context["form"].fields["area"].choices[1:] == [(str(area.pk), "Ekonomi")]

    def test_htmx_gets_the_results_of_the_page_only(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(
            URL, {"unit": self.sn.pk, "year": 2032, "page": 2}, headers={"HX-Request": "true"}
        )
        body = response.content.decode()
        assert body.lstrip().startswith('<div id="results">')
        assert "<html" not in body
        assert "Visar 51–100 av 120" in body
        assert 'hx-target="#results"' in body

    def test_english_readers_get_the_pager_in_english(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        body = self.get(page=2).content.decode()
        assert "Showing 51–100 of 120" in body
        assert ">Previous</a>" in body and ">Next</a>" in body


class RiskListReaderTests(BaseTestCase):
    """A person below the committee pages through the risks their units identified, only."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.large = make_plan(cls.sn, 2032)
        add_risks(cls.large, 60, prefix="vux", unit=cls.sf_vux)
        add_risks(cls.large, 60, prefix="barn", unit=cls.sf_barn)

    def test_they_page_through_their_own_risks(self) -> None:
        self.client.force_login(self.responsible)
        first = self.client.get(URL, {"unit": self.sn.pk, "year": 2032})
        last = self.client.get(URL, {"unit": self.sn.pk, "year": 2032, "page": 2})
        titles = [r.title for r in first.context["risks"]] + [
            r.title for r in last.context["risks"]
        ]
        assert titles == [f"Risk vux {number:03d}" for number in range(60)]
        assert "Visar 51–60 av 60" in last.content.decode()
        assert "Barnenheten" not in first.content.decode() + last.content.decode()

    def test_their_heat_map_and_counts_hold_only_their_risks(self) -> None:
        self.client.force_login(self.responsible)
        response = self.client.get(URL, {"unit": self.sn.pk, "year": 2032})
        assert sum(c.count for row in response.context["grid"] for c in row.cells) == 60
        assert response.context["total"] == 60
        counts = {code: count for code, _l, count in response.context["action_counts"]}
        assert counts["in_progress"] == 60
        assert response.context["form"].fields["identified_by"].choices[1:] == [
            (str(self.sf_vux.pk), "Vuxenenheten")
        ]

    def test_the_coordinator_pages_through_them_all(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(URL, {"unit": self.sn.pk, "year": 2032, "page": 3})
        assert "Visar 101–120 av 120" in response.content.decode()

"""The plan page shows its first sections and loads the rest as they are opened, in the same
few queries whatever the plan's size."""

from __future__ import annotations

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.accounts.models import User
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.organisation.models import Goal, Period, Process, RiskArea, Unit
from internkontroll.plans.models import AdoptedVersion, ControlPlan
from internkontroll.plans.versions import record_version
from internkontroll.risks.models import Risk
from internkontroll.test import BaseTestCase, make_organisation, make_plan, make_unit


def add_reviewed(
    plan: ControlPlan,
    count: int,
    *,
    prefix: str = "s",
    area: RiskArea | None = None,
    unit: Unit | None = None,
    **fields: object,
) -> list[Risk]:
    """`count` risks under review, each with a control activity reported for T1."""
    risks = Risk.objects.bulk_create(
        Risk(
            plan=plan,
            external_id=f"{prefix}-{number}",
            title=f"Risk {prefix} {number:03d}",
            area=area,
            unit=unit,
            probability=1 + number % 4,
            consequence=2,
            handling=["review"],
            **fields,
        )
        for number in range(count)
    )
    activities = ControlActivity.objects.bulk_create(
        ControlActivity(risk=risk, external_id="k", title=f"Kontroll {risk.title}")
        for risk in risks
    )
    periods = list(Period.objects.filter(organisation=plan.unit.organisation))
    through = ControlActivity.periods.through
    through.objects.bulk_create(
        through(controlactivity_id=activity.pk, period_id=period.pk)
        for activity in activities
        for period in periods
    )
    FollowUp.objects.bulk_create(
        FollowUp(
            control_activity=activity,
            period=periods[0],
            date=datetime.date(2025, 4, 30),
            result="no_remarks",
        )
        for activity in activities
    )
    return risks


def adopt(plan: ControlPlan, user: User) -> AdoptedVersion:
    return record_version(
        plan,
        kind=AdoptedVersion.Kind.PLAN,
        decided_on=datetime.date(2025, 1, 15),
        reference="SN-2025/1",
        acting_user=user,
    )


def url(plan: ControlPlan) -> str:
    return reverse("plans:detail", args=[plan.pk])


class PlanPageQueryTests(BaseTestCase):
    def queries_for(self, plan: ControlPlan, **params: object) -> int:
        self.client.get(url(plan), params)  # remember the plan in the session first
        with CaptureQueriesContext(connection) as queries:
            assert self.client.get(url(plan), params).status_code == 200
        return len(queries)

    def areas(self, count: int) -> list[RiskArea]:
        return [
            RiskArea.objects.get_or_create(organisation=self.organisation, name=f"Område {n}")[0]
            for n in range(count)
        ]

    def test_a_plan_of_120_risks_costs_the_queries_of_one_of_5(self) -> None:
        small, large = make_plan(self.sn, 2031), make_plan(self.sn, 2032)
        add_reviewed(small, 5)
        add_reviewed(large, 120)
        self.client.force_login(self.coordinator)
        assert self.queries_for(small) == self.queries_for(large)

    def test_and_so_when_the_risks_are_spread_over_many_sections(self) -> None:
        small, large = make_plan(self.sn, 2031), make_plan(self.sn, 2032)
        add_reviewed(small, 5, area=self.areas(1)[0])
        for number, area in enumerate(self.areas(8)):
            add_reviewed(large, 15, prefix=f"o{number}", area=area)
        self.client.force_login(self.coordinator)
        assert self.queries_for(small) == self.queries_for(large)

    def test_and_so_for_a_plan_organised_by_goals(self) -> None:
        goal = Goal.objects.create(organisation=self.organisation, external_id="1.1")
        process = Process.objects.create(organisation=self.organisation, name="Utbetalningar")
        small, large = make_plan(self.sn, 2031), make_plan(self.sn, 2032)
        add_reviewed(small, 5, goal=goal, process=process)
        add_reviewed(large, 120, goal=goal, process=process)
        self.client.force_login(self.coordinator)
        assert self.queries_for(small) == self.queries_for(large)

    def test_and_so_for_a_person_below_the_committee(self) -> None:
        small, large = make_plan(self.sn, 2031), make_plan(self.sn, 2032)
        add_reviewed(small, 5, unit=self.sf_vux)
        add_reviewed(large, 120, unit=self.sf_vux)
        self.client.force_login(self.responsible)
        assert self.queries_for(small) == self.queries_for(large)

    def test_a_section_asked_for_costs_the_same_in_a_small_and_a_large_plan(self) -> None:
        area = self.areas(1)[0]
        small, large = make_plan(self.sn, 2031), make_plan(self.sn, 2032)
        add_reviewed(small, 5, area=area)
        add_reviewed(large, 120, area=area)
        self.client.force_login(self.coordinator)
        asked = {"section": f"a{area.pk}"}
        assert self.queries_for(small, **asked) == self.queries_for(large, **asked, page=3)

    def test_large_adopted_plans_cost_the_same_queries_whatever_their_size(self) -> None:
        plans = make_plan(self.sn, 2031), make_plan(self.sn, 2032)
        for plan, count in zip(plans, (60, 120), strict=True):
            add_reviewed(plan, count)
            adopt(plan, self.coordinator)
        self.client.force_login(self.coordinator)
        assert self.queries_for(plans[0]) == self.queries_for(plans[1])

    def test_more_plans_elsewhere_cost_no_more_queries_and_stay_out_of_the_switcher(self) -> None:
        superuser = User.objects.create_superuser("drift", password="ett-långt-lösenord-för-drift")
        self.client.force_login(superuser)
        before = self.queries_for(self.sn_plan)
        for number in range(20):
            elsewhere = make_organisation(f"Kommun {number}")
            committee = make_unit(elsewhere, "sn", "committee", name=f"Annan nämnd {number}")
            for year in (2024, 2025, 2026):
                make_plan(committee, year)
        assert self.queries_for(self.sn_plan) == before
        response = self.client.get(url(self.sn_plan))
        assert [name for _pk, name in response.context["committees"]] == [
            "Barn- och utbildningsnämnden",
            "Socialnämnden",
        ]
        assert response.context["years"] == [2025]


class PlanPageWindowTests(BaseTestCase):
    """Ekonomi 120 risks, Personal 30, and 10 without an area."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.plan = make_plan(cls.sn, 2032)
        cls.economy = RiskArea.objects.create(organisation=cls.organisation, name="Ekonomi")
        cls.staff = RiskArea.objects.create(organisation=cls.organisation, name="Personal")
        add_reviewed(cls.plan, 120, prefix="eko", area=cls.economy)
        add_reviewed(cls.plan, 30, prefix="pers", area=cls.staff)
        add_reviewed(cls.plan, 10, prefix="utan")
        Risk.objects.create(plan=cls.plan, external_id="x", title="Accepteras", handling=["accept"])

    def get(self, user: User | None = None, htmx: bool = False, **params: object) -> object:
        self.client.force_login(user or self.coordinator)
        headers = {"HX-Request": "true"} if htmx else {}
        return self.client.get(url(self.plan), params, headers=headers)

    def test_it_counts_every_risk_under_review_and_each_section(self) -> None:
        response = self.get()
        body = response.content.decode()
        assert "160 risker granskas" in body
        sections = [(s.title, s.count) for s in response.context["sections"]]
        assert sections == [("Ekonomi", 120), ("Personal", 30), ("Utan riskområde", 10)]
        assert "120 risker</span>" in body and "30 risker</span>" in body

    def test_it_shows_the_first_page_of_a_large_first_section_only(self) -> None:
        response = self.get()
        body = response.content.decode()
        assert [r.title for r in response.context["risks"]] == [
            f"Risk eko {number:03d}" for number in range(50)
        ]
        assert body.count('class="card" aria-labelledby="risk-') == 50
        assert "Visar 1–50 av 120" in body
        assert 'aria-label="Sidor under Ekonomi"' in body
        assert f"?section=a{self.economy.pk}&amp;page=2" in body

    def test_the_other_sections_load_when_they_are_opened(self) -> None:
        body = self.get().content.decode()
        key = f"a{self.staff.pk}"
        part = re.search(rf'<details class="plan-part" id="part-{key}"[^>]*>', body)
        assert part is not None
        assert " open" not in part.group(0)
        assert f'hx-get="{url(self.plan)}?section={key}"' in part.group(0)
        assert 'hx-trigger="toggle once"' in part.group(0)
        assert f'href="?section={key}#part-{key}">Visa de 30 riskerna under Personal</a>' in body
        assert "Risk pers 000" not in body

    def test_an_opened_section_comes_as_a_fragment(self) -> None:
        response = self.get(htmx=True, section=f"a{self.staff.pk}")
        body = response.content.decode()
        assert body.lstrip().startswith(f'<div id="risks-a{self.staff.pk}"')
        assert "<html" not in body
        assert body.count('class="card" aria-labelledby="risk-') == 30
        assert "Risk pers 029" in body
        assert "Risk eko 000" not in body
        assert '<abbr title="Tertialrapport 1">T1</abbr>' in body

    def test_a_later_page_of_a_section_comes_as_a_fragment(self) -> None:
        response = self.get(htmx=True, section=f"a{self.economy.pk}", page=3)
        body = response.content.decode()
        assert [r.title for r in response.context["risks"]] == [
            f"Risk eko {number:03d}" for number in range(100, 120)
        ]
        assert "Visar 101–120 av 120" in body
        assert f'hx-target="#risks-a{self.economy.pk}"' in body

    def test_without_javascript_the_asked_section_opens_in_the_page(self) -> None:
        response = self.get(section=f"a{self.staff.pk}")
        body = response.content.decode()
        assert "<html" in body
        assert [r.title for r in response.context["risks"]] == [
            f"Risk pers {number:03d}" for number in range(30)
        ]
        assert re.search(rf'<details class="plan-part" id="part-a{self.staff.pk}" open>', body)
        assert "Risk eko 000" not in body

    def test_the_risks_without_an_area_have_a_section_of_their_own(self) -> None:
        response = self.get(htmx=True, section="a")
        assert [r.title for r in response.context["risks"]][:2] == [
            "Risk utan 000",
            "Risk utan 001",
        ]
        assert len(response.context["risks"]) == 10

    def test_an_unknown_section_is_not_found(self) -> None:
        assert self.get(htmx=True, section="a999999").status_code == 404

    def test_small_sections_open_together_up_to_the_window(self) -> None:
        plan = make_plan(self.sn, 2033)
        areas = [
            RiskArea.objects.create(organisation=self.organisation, name=name)
            for name in ("A-området", "B-området", "C-området")
        ]
        for area in areas:
            add_reviewed(plan, 20, prefix=area.name, area=area)
        self.client.force_login(self.coordinator)
        response = self.client.get(url(plan))
        assert [s.loaded for s in response.context["sections"]] == [True, True, False]
        assert len(response.context["risks"]) == 40
        assert "Visar" not in response.content.decode()  # no section is paged

    def test_a_person_below_the_committee_gets_only_their_risks_in_every_section(self) -> None:
        plan = make_plan(self.sn, 2033)
        add_reviewed(plan, 60, prefix="vux", unit=self.sf_vux, area=self.economy)
        add_reviewed(plan, 60, prefix="barn", unit=self.sf_barn, area=self.economy)
        add_reviewed(plan, 5, prefix="pers-barn", unit=self.sf_barn, area=self.staff)
        self.client.force_login(self.responsible)
        response = self.client.get(url(plan))
        assert [(s.title, s.count) for s in response.context["sections"]] == [("Ekonomi", 60)]
        later = self.client.get(
            url(plan), {"section": f"a{self.economy.pk}", "page": 2}, headers={"HX-Request": "true"}
        )
        titles = [r.title for r in response.context["risks"] + later.context["risks"]]
        assert titles == [f"Risk vux {number:03d}" for number in range(60)]
        assert "barn" not in response.content.decode() + later.content.decode()
        assert (
            self.client.get(
                url(plan), {"section": f"a{self.staff.pk}"}, headers={"HX-Request": "true"}
            ).status_code
            == 404
        )


class ChangesSinceAdoptionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.plan = make_plan(cls.sn, 2032)
        add_reviewed(cls.plan, 60)
        add_reviewed(cls.plan, 3, prefix="vux", unit=cls.sf_vux)
        cls.version = adopt(cls.plan, cls.coordinator)
        Risk.objects.filter(plan=cls.plan, external_id="s-7").update(title="Ny rubrik")

    def test_the_plan_loads_its_changes_when_they_are_reached(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(url(self.plan))
        body = response.content.decode()
        assert not response.context["changes_loaded"]
        assert "Ändringar sedan fastställandet 2025-01-15" in body
        assert f'hx-get="{url(self.plan)}?changes=1" hx-trigger="revealed"' in body
        assert 'href="?changes=1#changes-heading">Visa ändringarna</a>' in body
        assert "”Risk s 007”" not in body  # the old title, only in the changes

    def test_the_changes_come_as_a_fragment(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(url(self.plan), {"changes": 1}, headers={"HX-Request": "true"})
        body = response.content.decode()
        assert body.lstrip().startswith('<div id="changes">')
        assert "<html" not in body
        assert body.count("<li>") == 1
        assert "Risken Ny rubrik: rubrik ändrades från ”Risk s 007” till ”Ny rubrik”" in body

    def test_without_javascript_the_changes_come_with_the_page_when_asked(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(url(self.plan), {"changes": 1})
        assert "<html" in response.content.decode()
        assert [(c.how, c.title) for c in response.context["changes"]] == [("changed", "Ny rubrik")]

    def test_a_reader_below_the_committee_gets_only_the_changes_to_their_part(self) -> None:
        self.client.force_login(self.responsible)
        response = self.client.get(url(self.plan), {"changes": 1}, headers={"HX-Request": "true"})
        body = response.content.decode()
        assert "Inget har ändrats sedan fastställandet." in body
        assert "Ny rubrik" not in body

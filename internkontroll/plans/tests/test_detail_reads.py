"""The plan page's combined reads: the neighbouring years from the switcher's rows, the
working-method columns from the outline's counts, and each activity's results by period."""

from __future__ import annotations

import datetime

from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.organisation.models import Period, RiskArea
from internkontroll.plans.tests.test_detail import url
from internkontroll.plans.tests.test_scale_plan_page import add_reviewed
from internkontroll.test import BaseTestCase, make_plan, make_risk


class NeighbouringYearsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.earlier = make_plan(cls.sn, 2024)
        make_risk(cls.earlier, "r-1", title="Förra årets risk", unit=cls.sf_vux)
        cls.later = make_plan(cls.sn, 2026)  # none of the unit's risks: not theirs to know

    def test_it_links_the_committees_plans_of_the_year_before_and_after(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(url(self.sn_plan))
        assert response.context["previous_plan"].pk == self.earlier.pk
        assert response.context["next_plan"].pk == self.later.pk
        body = response.content.decode()
        assert f'<a href="{url(self.earlier)}">Planen för 2024</a>' in body
        assert f'<a href="{url(self.later)}">Planen för 2026</a> (utkast)' in body

    def test_it_links_only_the_years_the_reader_may_know(self) -> None:
        self.client.force_login(self.responsible)
        response = self.client.get(url(self.sn_plan))
        assert response.context["previous_plan"].pk == self.earlier.pk
        assert response.context["next_plan"] is None
        assert url(self.later) not in response.content.decode()
        assert response.context["years"] == [2025, 2024]

    def test_another_committees_plans_are_no_neighbours(self) -> None:
        make_plan(self.bn, 2026)
        self.client.force_login(self.reader)
        response = self.client.get(url(self.sn_plan))
        assert response.context["next_plan"].pk == self.later.pk
        assert response.context["years"] == [2026, 2025, 2024]


class WorkingMethodColumnTests(BaseTestCase):
    """Ekonomi's 60 risks come first, a page of 50; Personal's one risk waits to be opened."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.plan = make_plan(cls.sn, 2032)
        economy = RiskArea.objects.create(organisation=cls.organisation, name="Ekonomi")
        cls.staff = RiskArea.objects.create(organisation=cls.organisation, name="Personal")
        add_reviewed(cls.plan, 60, prefix="eko", area=economy)
        cls.later_risk = add_reviewed(cls.plan, 1, prefix="pers", area=cls.staff)[0]

    def body(self) -> str:
        self.client.force_login(self.coordinator)
        response = self.client.get(url(self.plan))
        assert "Risk pers 000" not in response.content.decode()  # not loaded
        return response.content.decode()

    def test_the_columns_show_when_an_activity_in_a_section_not_yet_loaded_has_them(self) -> None:
        ControlActivity.objects.filter(risk=self.later_risk).update(working_method="Rutin")
        assert '<th scope="col">Arbetssätt</th>' in self.body()

    def test_and_so_for_a_systematic_control_alone(self) -> None:
        ControlActivity.objects.filter(risk=self.later_risk).update(systematic_control="Spärr")
        assert '<th scope="col">Systematisk kontroll</th>' in self.body()

    def test_the_columns_stay_away_when_no_activity_has_them(self) -> None:
        body = self.body()
        assert "Arbetssätt" not in body
        assert "Systematisk kontroll" not in body


class ResultsByPeriodTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.t1, cls.t2, cls.vb = Period.objects.filter(organisation=cls.organisation)[:3]
        cls.second = ControlActivity.objects.create(
            risk=cls.sn_risk, external_id="k-2", title="Avstämning av konton"
        )
        cls.sn_activity.periods.set([cls.t1, cls.t2])
        cls.second.periods.set([cls.t2, cls.vb])
        for activity, period, day, result in (
            (cls.sn_activity, cls.t1, datetime.date(2025, 4, 20), "deviation"),
            (cls.sn_activity, cls.t1, datetime.date(2025, 4, 28), "no_remarks"),
            (cls.second, cls.t2, datetime.date(2025, 8, 30), "not_done"),
            (cls.second, cls.t2, datetime.date(2025, 8, 10), "deviation"),
        ):
            FollowUp.objects.create(
                control_activity=activity, period=period, date=day, result=result
            )

    def results(self) -> dict[str, list[tuple[str | None, bool]]]:
        self.client.force_login(self.coordinator)
        risk = self.client.get(url(self.sn_plan)).context["risks"][0]
        return {
            activity.title: [
                (r.follow_up.result if r.follow_up else None, r.planned) for r in activity.results
            ]
            for activity in risk.control_activities.all()
        }

    def test_each_activity_gets_its_own_latest_result_in_each_period(self) -> None:
        assert self.results() == {
            "Stickprov på utbetalningar": [("no_remarks", True), (None, True), (None, False)],
            "Avstämning av konton": [(None, False), ("not_done", True), (None, True)],
        }

    def test_the_page_shows_them_in_the_activitys_row(self) -> None:
        self.client.force_login(self.coordinator)
        body = self.client.get(url(self.sn_plan)).content.decode()
        second_row = body[body.index("Avstämning av konton") :]
        second_row = second_row[: second_row.index("</tr>")]
        assert 'class="badge badge--not_done">Ej genomförd</span>' in second_row
        assert "2025-08-30" in second_row
        assert "2025-08-10" not in body
        assert second_row.count("Ej rapporterad") == 1

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.accounts.models import User
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.organisation.models import Goal, Period, Process
from internkontroll.plans.models import ControlPlan
from internkontroll.plans.selection import SESSION_KEY
from internkontroll.test import BaseTestCase, make_plan, make_risk


def url(plan: ControlPlan) -> str:
    return reverse("plans:detail", args=[plan.pk])


class PlanPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.t1 = Period.objects.get(organisation=cls.organisation, code="T1")
        cls.t2 = Period.objects.get(organisation=cls.organisation, code="T2")
        cls.sn_activity.periods.set([cls.t1, cls.t2])
        cls.sn_activity.responsible = "Enhetschef"
        cls.sn_activity.assignee = cls.responsible
        cls.sn_activity.save()
        for day, result, comment in (
            (datetime.date(2025, 4, 20), "deviation", "Två fel."),
            (datetime.date(2025, 5, 5), "no_remarks", "Rättat och kontrollerat igen."),
        ):
            FollowUp.objects.create(
                control_activity=cls.sn_activity,
                period=cls.t1,
                date=day,
                result=result,
                comment=comment,
            )
        cls.accepted = make_risk(
            cls.sn_plan, "r-accepted", title="Accepterad risk", handling=["accept"]
        )
        cls.to_review = make_risk(
            cls.sn_plan, "r-review", title="Granskas utan aktivitet", handling=["review"]
        )

    def page(self, user: User, plan: ControlPlan | None = None) -> str:
        self.client.force_login(user)
        response = self.client.get(url(plan or self.sn_plan))
        assert response.status_code == 200
        return response.content.decode()

    def test_it_shows_the_committee_the_year_and_the_adoption(self) -> None:
        content = self.page(self.coordinator)
        assert "Socialnämnden 2025" in content
        assert "2024-12-12" in content
        assert "SN-2024/259" in content

    def test_it_lists_risks_under_review_and_risks_with_control_activities(self) -> None:
        self.client.force_login(self.coordinator)
        risks = self.client.get(url(self.sn_plan)).context["risks"]
        assert [risk.title for risk in risks] == [
            "Felaktiga utbetalningar",
            "Granskas utan aktivitet",
        ]

    def test_it_leaves_out_risks_that_are_only_accepted(self) -> None:
        assert "Accepterad risk" not in self.page(self.coordinator)

    def test_it_shows_each_control_activity_with_who_how_and_when(self) -> None:
        content = self.page(self.coordinator)
        assert "Stickprov på utbetalningar" in content
        assert "Enhetschef" in content
        assert str(self.responsible) in content
        assert '<abbr title="' in content and ">T1</abbr>" in content

    def test_it_shows_the_latest_result_of_each_period(self) -> None:
        self.client.force_login(self.coordinator)
        risk = self.client.get(url(self.sn_plan)).context["risks"][0]
        results = risk.control_activities.all()[0].results
        assert results[0].follow_up.result == "no_remarks"
        assert results[1].follow_up is None
        assert results[1].planned
        assert not results[2].planned
        assert 'class="badge badge--no_remarks"' in self.page(self.coordinator)

    def test_it_shows_each_risk_level_as_a_colour_and_a_name(self) -> None:
        content = self.page(self.coordinator)
        level = self.sn_risk.level
        assert level is not None
        assert f"level-{self.sn_plan.risk_matrix_id}-{level.rank}" in content
        assert level.name in content
        assert 'style="' not in content

    def test_it_groups_risks_by_goal_and_process_when_the_plan_follows_goals(self) -> None:
        goal = Goal.objects.create(
            organisation=self.organisation, external_id="1.1", title="Trygg välfärd"
        )
        process = Process.objects.create(organisation=self.organisation, name="Utbetalningar")
        self.sn_risk.goal, self.sn_risk.process = goal, process
        self.sn_risk.save()
        self.client.force_login(self.coordinator)
        response = self.client.get(url(self.sn_plan))
        sections = response.context["sections"]
        assert sections[0].title == "1.1 Trygg välfärd"
        assert [s.title for s in sections[0].sections] == ["Utbetalningar"]
        assert sections[0].sections[0].risks == [self.sn_risk]

    def test_it_shows_the_working_method_and_systematic_control_where_present(self) -> None:
        assert "Rutin för attest" not in self.page(self.coordinator)
        ControlActivity.objects.filter(pk=self.sn_activity.pk).update(
            working_method="Rutin för attest", systematic_control="Attestlistan stäms av"
        )
        content = self.page(self.coordinator)
        assert "Rutin för attest" in content
        assert "Attestlistan stäms av" in content

    def test_it_offers_the_adoption_form_to_those_who_may_write_the_plan(self) -> None:
        content = self.page(self.coordinator)
        assert reverse("plans:adopt", args=[self.sn_plan.pk]) in content
        assert 'value="SN-2024/259"' in content  # the current values are shown

    def test_it_shows_readers_no_forms(self) -> None:
        content = self.page(self.reader)
        assert reverse("plans:adopt", args=[self.sn_plan.pk]) not in content
        assert reverse("plans:assessment", args=[self.sn_plan.pk]) not in content

    def test_it_shows_the_annual_assessment_to_readers(self) -> None:
        self.sn_assessment.analysis = "Kontrollerna har fungerat väl."
        self.sn_assessment.save()
        content = self.page(self.reader)
        assert "badge--sufficient" in content
        assert "Kontrollerna har fungerat väl." in content

    def test_a_unit_sees_its_own_risks_in_the_committees_plan(self) -> None:
        self.client.force_login(self.responsible)
        response = self.client.get(url(self.sn_plan))
        assert [risk.title for risk in response.context["risks"]] == ["Felaktiga utbetalningar"]
        assert response.context["adoption_form"] is None

    def test_it_remembers_the_plan_for_the_switcher(self) -> None:
        self.page(self.coordinator)
        assert self.client.session[SESSION_KEY] == self.sn_plan.pk

    def test_its_switcher_leads_back_to_the_plan_pages(self) -> None:
        content = self.page(self.coordinator)
        assert f'action="{reverse("plans:current")}"' in content

    def test_it_shows_an_empty_state_for_a_plan_with_nothing_to_review(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.get(url(self.bn_plan))
        assert response.status_code == 200
        assert response.context["risks"] == []

    def test_it_hides_another_organisations_plan(self) -> None:
        self.client.force_login(self.outsider)
        assert self.client.get(url(self.sn_plan)).status_code == 404

    def test_it_hides_a_committee_outside_the_coordinators_scope(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.get(url(self.bn_plan)).status_code == 404

    def test_it_answers_an_unknown_plan_with_404(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.get(reverse("plans:detail", args=[999999])).status_code == 404

    def test_it_sends_anonymous_visitors_to_the_login(self) -> None:
        response = self.client.get(url(self.sn_plan))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_it_rejects_post(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.post(url(self.sn_plan)).status_code == 405


class PlanPageQueryTests(BaseTestCase):
    def plan_with_risks(self, count: int) -> ControlPlan:
        plan = make_plan(self.sn, year=2030 + count)
        periods = list(Period.objects.filter(organisation=self.organisation))
        goal = Goal.objects.create(organisation=self.organisation, external_id=f"g{count}")
        process = Process.objects.create(organisation=self.organisation, name=f"p{count}")
        for number in range(count):
            risk = make_risk(
                plan,
                f"r{number}",
                probability=2,
                consequence=3,
                goal=goal,
                process=process,
                handling=["review"],
            )
            activity = ControlActivity.objects.create(
                risk=risk, external_id="k", title="Kontroll", assignee=self.responsible
            )
            activity.periods.set(periods)
            FollowUp.objects.create(
                control_activity=activity,
                period=periods[0],
                date=datetime.date(2025, 4, 30),
                result="no_remarks",
            )
        return plan

    def queries_for(self, plan: ControlPlan) -> int:
        self.client.get(url(plan))  # remember the plan in the session first
        with CaptureQueriesContext(connection) as queries:
            assert self.client.get(url(plan)).status_code == 200
        return len(queries.captured_queries)

    def test_it_makes_as_many_queries_for_50_risks_as_for_5(self) -> None:
        small, large = self.plan_with_risks(5), self.plan_with_risks(50)
        self.client.force_login(self.coordinator)
        five = self.queries_for(small)
        self.client.get(url(large))
        with self.assertNumQueries(five):
            response = self.client.get(url(large))
        assert len(response.context["risks"]) == 50


class ReportLinkTests(BaseTestCase):
    def test_the_plan_page_links_every_report_in_every_format(self) -> None:
        self.client.force_login(self.reader)
        body = self.client.get(reverse("plans:detail", args=[self.sn_plan.pk])).content.decode()
        base = reverse("reports:report", args=["follow-up", self.sn_plan.pk])
        for code in ("T1", "T2", "VB"):
            for fmt in ("html", "pdf", "docx", "xlsx"):
                assert f"{base}?period={code}&amp;format={fmt}" in body
        assert reverse("reports:report", args=["risk-picture", self.sn_plan.pk]) in body

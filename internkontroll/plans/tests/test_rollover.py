"""The rollover page: next year's plan made from this year's, risk by risk."""

from __future__ import annotations

import datetime
from typing import Any

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.accounts.models import Role, User
from internkontroll.controls.models import ControlActivity
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.models import Action, Risk, RolloverDecision
from internkontroll.test import BaseTestCase, make_risk, make_user

TODAY = datetime.datetime(2025, 10, 1, 9, tzinfo=datetime.UTC)


def url(plan: ControlPlan) -> str:
    return reverse("plans:rollover", args=[plan.pk])


@time_machine.travel(TODAY, tick=False)
class RolloverPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.sn_risk.recommendations.add(cls.sn_recommendation)
        ControlActivity.objects.filter(pk=cls.sn_activity.pk).update(frequency="quarterly")
        cls.second = make_risk(cls.sn_plan, "r-2", title="Bristande dokumentation")
        cls.third = make_risk(cls.sn_plan, "r-3", title="Dubbla register")
        # A coordinator of the administration, below the committee that owns the plan.
        cls.below = make_user("forvaltning", cls.organisation, [(Role.COORDINATOR, cls.sf)])

    def post(self, user: User | None = None, **decisions: Any) -> Any:
        self.client.force_login(user or self.coordinator)
        data = {
            f"decision-{self.sn_risk.pk}": "carry",
            f"decision-{self.second.pk}": "carry",
            f"decision-{self.third.pk}": "carry",
        }
        return self.client.post(url(self.sn_plan), {**data, **decisions})

    def next_year(self) -> ControlPlan:
        return ControlPlan.objects.get(unit=self.sn, year=2026)

    def test_the_coordinator_sees_every_risk_to_decide_with_what_it_takes_along(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(url(self.sn_plan))
        body = response.content.decode()
        assert response.status_code == 200
        assert "Nästa års plan: Socialnämnden 2026" in body
        assert "3 risker att besluta" in body
        for risk in (self.sn_risk, self.second, self.third):
            assert f'name="decision-{risk.pk}"' in body
        row = response.context["undecided"][0]
        assert (row.title, row.open_actions, row.recurring) == ("Felaktiga utbetalningar", 1, 1)

    def test_it_carries_the_risks_and_links_them_to_last_years_versions(self) -> None:
        response = self.post()
        plan = self.next_year()
        assert response.status_code == 302
        assert response.url == reverse("plans:detail", args=[plan.pk])
        carried = plan.risks.get(previous=self.sn_risk)
        assert carried.title == "Felaktiga utbetalningar"
        assert carried.actions.get().previous == self.sn_action
        assert carried.control_activities.get().title == "Stickprov på utbetalningar"
        assert list(carried.recommendations.all()) == [self.sn_recommendation]
        assert carried.history.latest().history_user == self.coordinator
        decision = RolloverDecision.objects.get(risk=self.sn_risk)
        assert (decision.decision, decision.target, decision.decided_by) == (
            "carry",
            carried,
            self.coordinator,
        )
        page = self.client.get(response.url, follow=True).content.decode()
        assert "Överföring till 2026: 3 risker förda över, 0 avslutade" in page

    def test_it_closes_with_a_reason_and_merges_into_a_carried_risk(self) -> None:
        self.post(
            **{
                f"decision-{self.second.pk}": "close",
                f"reason-{self.second.pk}": "Hanteras i det nya ärendesystemet.",
                f"decision-{self.third.pk}": "merge",
                f"into-{self.third.pk}": "r-1",
            }
        )
        plan = self.next_year()
        assert list(plan.risks.values_list("title", flat=True)) == ["Felaktiga utbetalningar"]
        assert RolloverDecision.objects.get(risk=self.second).reason == (
            "Hanteras i det nya ärendesystemet."
        )
        merged = RolloverDecision.objects.get(risk=self.third)
        assert (merged.decision, merged.target) == ("merge", plan.risks.get())

    def test_a_risk_left_for_later_is_decided_in_the_next_round_and_nothing_is_copied_twice(
        self,
    ) -> None:
        self.post(**{f"decision-{self.third.pk}": "later"})
        assert self.next_year().risks.count() == 2
        self.client.force_login(self.coordinator)
        page = self.client.get(url(self.sn_plan))
        assert [risk.pk for risk in page.context["undecided"]] == [self.third.pk]
        self.post()  # decisions for the decided risks are ignored
        assert self.next_year().risks.count() == 3
        assert Action.objects.filter(risk__plan__year=2026).count() == 1

    def test_a_close_without_reason_is_refused_with_the_rows_problem_and_nothing_changes(
        self,
    ) -> None:
        response = self.post(**{f"decision-{self.second.pk}": "close"})
        assert response.status_code == 422
        assert response.context["form"].errors[f"reason-{self.second.pk}"] == [
            "Ange varför risken ”Bristande dokumentation” avslutas."
        ]
        assert "Inget ändrades. Rätta de markerade raderna" in response.content.decode()
        assert not ControlPlan.objects.filter(year=2026).exists()

    def test_a_merge_into_an_unknown_or_closed_risk_is_refused(self) -> None:
        response = self.post(
            **{
                f"decision-{self.third.pk}": "merge",
                f"into-{self.third.pk}": "r-9",
            }
        )
        assert response.status_code == 422
        assert "kan bara slås samman med en annan av förra årets risker" in (
            response.content.decode()
        )
        assert not ControlPlan.objects.filter(year=2026).exists()

    def test_a_copy_that_breaks_a_rule_refuses_the_whole_rollover_naming_the_risk(self) -> None:
        # The unit that identified the risk has since moved to another committee.
        Risk.objects.filter(pk=self.sn_risk.pk).update(unit=self.bf)
        response = self.post()
        assert response.status_code == 422
        assert (
            "r-1 Felaktiga utbetalningar: Enheten Utbildningsförvaltningen hör inte till "
            "Socialnämnden, som äger planen."
        ) in response.content.decode()
        assert not ControlPlan.objects.filter(year=2026).exists()

    def test_an_action_overdue_since_before_last_year_gets_the_last_date_it_may_have(
        self,
    ) -> None:
        # Carried from 2023 through 2024 and still open: its date lies before 2025-01-01,
        # outside the years a 2026 plan's dates may take; the rollover must still go through.
        Action.objects.filter(pk=self.sn_action.pk).update(
            due_date=datetime.date(2023, 12, 31), status="in_progress"
        )
        response = self.post()
        assert response.status_code == 302
        carried = self.next_year().risks.get(previous=self.sn_risk).actions.get()
        assert carried.due_date == datetime.date(2025, 12, 31)
        page = self.client.get(response.url).content.decode()
        assert (
            "Slutdatumet för 1 överförd åtgärd låg före 2025 och är nu 2025-12-31. "
            "Planera den på nytt."
        ) in page
        # Its own date stays on last year's action.
        self.sn_action.refresh_from_db()
        assert self.sn_action.due_date == datetime.date(2023, 12, 31)

    def test_undo_removes_the_draft_it_made(self) -> None:
        self.post()
        self.client.force_login(self.coordinator)
        response = self.client.post(reverse("plans:rollover_undo", args=[self.sn_plan.pk]))
        assert response.status_code == 302
        assert not ControlPlan.objects.filter(year=2026).exists()
        assert not RolloverDecision.objects.exists()
        assert Risk.objects.filter(plan=self.sn_plan).count() == 3
        deleted = Risk.history.filter(history_type="-").first()
        assert deleted is not None and deleted.history_user == self.coordinator

    def test_once_next_years_plan_is_adopted_the_rollover_is_closed(self) -> None:
        self.post(**{f"decision-{self.third.pk}": "later"})
        ControlPlan.objects.filter(year=2026).update(adopted_on=datetime.date(2025, 9, 30))
        self.client.force_login(self.coordinator)
        page = self.client.get(url(self.sn_plan))
        assert page.context["form"] is None
        assert "Planen för 2026 är redan fastställd" in page.content.decode()
        assert 'name="decision-' not in page.content.decode()
        refused = self.post()
        assert refused.status_code == 422
        assert self.next_year().risks.count() == 2
        self.client.post(reverse("plans:rollover_undo", args=[self.sn_plan.pk]))
        assert self.next_year().risks.count() == 2

    def test_people_who_do_not_hold_the_committee_may_not_roll_over(self) -> None:
        for user in (self.below, self.responsible, self.reader, self.auditor):
            self.client.force_login(user)
            assert self.client.get(url(self.sn_plan)).status_code == 403, user
            assert self.post(user).status_code == 403, user
        self.client.force_login(self.outsider)
        assert self.client.get(url(self.sn_plan)).status_code == 404
        assert not ControlPlan.objects.filter(year=2026).exists()

    def test_anonymous_users_are_sent_to_log_in(self) -> None:
        response = self.client.get(url(self.sn_plan))
        assert response.status_code == 302
        assert "/konto/logga-in/" in response.url

    def test_undo_rejects_get(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(reverse("plans:rollover_undo", args=[self.sn_plan.pk]))
        assert response.status_code == 405

    def test_the_page_costs_the_same_queries_for_3_risks_and_30(self) -> None:
        self.client.force_login(self.coordinator)
        self.post(**{f"decision-{self.third.pk}": "later"})
        with CaptureQueriesContext(connection) as few:
            self.client.get(url(self.sn_plan))
        for number in range(4, 31):
            risk = make_risk(self.sn_plan, f"r-{number}")
            Action.objects.create(risk=risk, external_id="a-1", title="Åtgärd")
            ControlActivity.objects.create(risk=risk, external_id="k-1", title="Kontroll")
        with self.assertNumQueries(len(few.captured_queries)):
            page = self.client.get(url(self.sn_plan))
        assert len(page.context["undecided"]) == 28


@time_machine.travel(TODAY, tick=False)
class LastYearsLinksTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.below = make_user("forvaltning", cls.organisation, [(Role.COORDINATOR, cls.sf)])

    def roll_over(self) -> Risk:
        self.client.force_login(self.coordinator)
        self.client.post(url(self.sn_plan), {f"decision-{self.sn_risk.pk}": "carry"})
        return Risk.objects.get(previous=self.sn_risk)

    def test_the_carried_risk_links_to_last_year_and_last_year_to_the_carried_one(self) -> None:
        carried = self.roll_over()
        for user in (self.coordinator, self.responsible, self.below):
            self.client.force_login(user)
            page = self.client.get(reverse("risks:detail", args=[carried.pk]))
            assert page.context["previous"] == self.sn_risk, user
            body = page.content.decode()
            assert reverse("risks:detail", args=[self.sn_risk.pk]) in body
            assert "Risken 2025</a> (förd över)" in body
            last_year = self.client.get(reverse("risks:detail", args=[self.sn_risk.pk]))
            assert "Förd över till 2026" in last_year.content.decode()

    def test_a_closed_risk_shows_why_on_last_years_page(self) -> None:
        self.client.force_login(self.coordinator)
        self.client.post(
            url(self.sn_plan),
            {f"decision-{self.sn_risk.pk}": "close", f"reason-{self.sn_risk.pk}": "Åtgärdat."},
        )
        page = self.client.get(reverse("risks:detail", args=[self.sn_risk.pk]))
        assert "Avslutad: Åtgärdat." in page.content.decode()

    def test_the_plan_page_links_the_years_and_offers_the_rollover_to_writers_only(self) -> None:
        carried = self.roll_over()
        rollover_link = url(self.sn_plan)
        page = self.client.get(reverse("plans:detail", args=[self.sn_plan.pk])).content.decode()
        assert reverse("plans:detail", args=[carried.plan_id]) in page
        assert "Planen för 2026</a> (utkast)" in page
        assert rollover_link in page
        self.client.force_login(self.below)
        page = self.client.get(reverse("plans:detail", args=[self.sn_plan.pk])).content.decode()
        assert rollover_link not in page
        draft = self.client.get(reverse("plans:detail", args=[carried.plan_id])).content.decode()
        assert reverse("plans:detail", args=[self.sn_plan.pk]) in draft

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.risks.models import Action
from internkontroll.test import BaseTestCase, make_plan, make_risk

URL = reverse("followups:mine")


@time_machine.travel(datetime.date(2025, 9, 10), tick=False)
class MineTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.sn_action.assignee = cls.responsible
        cls.sn_action.save()
        cls.later = Action.objects.create(
            risk=cls.sn_risk,
            external_id="a-2",
            title="Senare åtgärd",
            status="not_started",
            due_date=datetime.date(2026, 6, 30),
            assignee=cls.responsible,
        )
        Action.objects.create(
            risk=cls.sn_risk, external_id="a-3", title="Någon annans", assignee=cls.coordinator
        )
        cls.sn_activity.assignee = cls.responsible
        cls.sn_activity.save()
        cls.sn_activity.periods.set(cls.organisation.periods.filter(code__in=["T1", "T2", "VB"]))
        FollowUp.objects.create(
            control_activity=cls.sn_activity,
            date="2025-05-02",
            period=cls.organisation.periods.get(code="T1"),
            result="no_remarks",
        )

    def test_it_lists_my_overdue_and_due_items_first_and_the_rest_below(self) -> None:
        self.client.force_login(self.responsible)
        response = self.client.get(URL)
        urgent = [task.item.title for task in response.context["urgent"]]
        later = [task.item.title for task in response.context["later"]]
        assert urgent == ["Inför attest i två steg", "Stickprov på utbetalningar"]
        assert later == ["Senare åtgärd"]
        assert response.context["period"].code == "VB"
        task = response.context["urgent"][0]
        assert task.overdue
        activity_task = response.context["urgent"][1]
        assert [p.code for p in activity_task.missing_periods] == ["T2"]

    def test_an_action_carried_into_next_years_draft_is_not_to_report_now(self) -> None:
        next_year = make_plan(self.sn, year=2026)
        carried = Action.objects.create(
            risk=make_risk(next_year, "r-1", title="Felaktiga utbetalningar", unit=self.sf_vux),
            external_id="a-1",
            title="Inför attest i två steg (överförd)",
            due_date=datetime.date(2025, 6, 30),
            status="in_progress",
            assignee=self.responsible,
        )
        self.client.force_login(self.responsible)
        response = self.client.get(URL)
        urgent = [task.item for task in response.context["urgent"]]
        later = [task.item for task in response.context["later"]]
        assert self.sn_action in urgent and carried not in urgent
        assert carried in later

    def test_items_of_a_closed_plan_are_no_tasks(self) -> None:
        self.client.force_login(self.responsible)
        assert self.client.get(URL).context["urgent"]
        self.sn_plan.follow_up_started_at = datetime.datetime(2025, 1, 20, tzinfo=datetime.UTC)
        self.sn_plan.closed_at = datetime.datetime(2025, 9, 1, tzinfo=datetime.UTC)
        self.sn_plan.save()
        response = self.client.get(URL)
        assert response.context["urgent"] == [] and response.context["later"] == []
        body = response.content.decode()
        assert reverse("followups:report_action", args=[self.sn_action.pk]) not in body
        assert "Inför attest i två steg" not in body

    def test_each_item_links_to_its_report_form(self) -> None:
        self.client.force_login(self.responsible)
        body = self.client.get(URL).content.decode()
        assert reverse("followups:report_action", args=[self.sn_action.pk]) in body
        assert reverse("followups:report_control_activity", args=[self.sn_activity.pk]) in body

    def test_done_actions_and_other_peoples_items_are_not_listed(self) -> None:
        Action.objects.filter(pk=self.sn_action.pk).update(status="done")
        self.client.force_login(self.responsible)
        titles = [t.item.title for t in self.client.get(URL).context["urgent"]]
        assert "Inför attest i två steg" not in titles
        assert "Någon annans" not in titles

    def test_a_user_without_items_sees_an_empty_list(self) -> None:
        self.client.force_login(self.reader)
        response = self.client.get(URL)
        assert response.context["urgent"] == [] and response.context["later"] == []

    def test_anonymous_users_are_sent_to_log_in(self) -> None:
        assert self.client.get(URL).status_code == 302

    def test_it_rejects_post(self) -> None:
        self.client.force_login(self.responsible)
        assert self.client.post(URL).status_code == 405

    def test_the_number_of_queries_does_not_grow_with_the_items(self) -> None:
        self.client.force_login(self.responsible)

        def count_for(total: int) -> int:
            existing = Action.objects.filter(assignee=self.responsible).count()
            for n in range(existing, total):
                action = Action.objects.create(
                    risk=self.sn_risk, external_id=f"n-{n}", title="X", assignee=self.responsible
                )
                FollowUp.objects.create(action=action, date="2025-05-01", comment="Y")
                activity = ControlActivity.objects.create(
                    risk=self.sn_risk, external_id=f"k-{n}", title="K", assignee=self.responsible
                )
                activity.periods.set(self.organisation.periods.all())
            with CaptureQueriesContext(connection) as queries:
                self.client.get(URL)
            return len(queries)

        self.client.get(URL)  # the scope computed, as for each count below
        assert count_for(5) == count_for(50)


@time_machine.travel(datetime.date(2025, 3, 10), tick=False)
class MineDeadlineTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.organisation.periods.update(deadline_days=10)
        cls.t1 = cls.organisation.periods.get(code="T1")
        cls.t2 = cls.organisation.periods.get(code="T2")
        cls.sn_activity.assignee = cls.responsible
        cls.sn_activity.save()
        cls.sn_activity.periods.set([cls.t1, cls.t2])
        cls.later = ControlActivity.objects.create(
            risk=cls.sn_risk, external_id="k-2", title="Kontroll i höst", assignee=cls.responsible
        )
        cls.later.periods.set([cls.t2])

    def test_an_activity_due_this_period_is_to_report_now_by_the_periods_deadline(self) -> None:
        self.client.force_login(self.responsible)
        response = self.client.get(URL)
        (task,) = response.context["urgent"]
        assert task.item == self.sn_activity
        assert task.deadline == datetime.date(2025, 5, 10)
        assert task.missing_periods == []
        body = response.content.decode()
        assert "2025-05-10 (T1)" in body
        assert f"?period={self.t1.pk}" in body

    def test_a_period_that_has_not_started_is_not_asked_for(self) -> None:
        self.client.force_login(self.responsible)
        response = self.client.get(URL)
        (task,) = response.context["later"]
        assert task.item == self.later
        assert task.due == datetime.date(2025, 9, 10)
        assert task.period is None and not task.missing_periods
        assert reverse("followups:report_control_activity", args=[self.later.pk]) + "?" not in (
            response.content.decode()
        )

    def test_a_period_whose_deadline_passed_unreported_is_named(self) -> None:
        with time_machine.travel(datetime.date(2025, 5, 11), tick=False):
            self.client.force_login(self.responsible)
            response = self.client.get(URL)
        titles = {task.item.title: task for task in response.context["urgent"]}
        assert [p.code for p in titles["Stickprov på utbetalningar"].missing_periods] == ["T1"]
        assert titles["Kontroll i höst"].deadline == datetime.date(2025, 9, 10)

    def test_on_a_phone_each_task_is_a_card_with_labelled_cells(self) -> None:
        self.client.force_login(self.responsible)
        body = self.client.get(URL).content.decode()
        assert 'class="table-cards"' in body
        assert 'data-label="Rapportera senast"' in body and 'data-label="Status"' in body


@time_machine.travel(datetime.date(2025, 9, 10), tick=False)
class MineReportedActionTests(BaseTestCase):
    def test_an_overdue_action_reported_for_this_period_waits_below(self) -> None:
        Action.objects.filter(pk=self.sn_action.pk).update(assignee=self.responsible)
        self.client.force_login(self.responsible)
        assert [t.item for t in self.client.get(URL).context["urgent"]] == [self.sn_action]
        FollowUp.objects.create(
            action=self.sn_action,
            period=self.organisation.periods.get(code="VB"),
            date="2025-09-09",
            status="in_progress",
        )
        response = self.client.get(URL)
        assert response.context["urgent"] == []
        (task,) = response.context["later"]
        assert task.overdue and "Försenad" in response.content.decode()

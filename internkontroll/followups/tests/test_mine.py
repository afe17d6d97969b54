import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.risks.models import Action
from internkontroll.test import BaseTestCase

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

        assert count_for(5) == count_for(50)

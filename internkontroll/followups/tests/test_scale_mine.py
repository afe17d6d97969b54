"""My tasks: a page of each list, in the same few queries however many tasks a person has."""

from __future__ import annotations

import datetime

import time_machine
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.accounts.models import User
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.organisation.models import Period
from internkontroll.risks.models import Action, Risk
from internkontroll.test import BaseTestCase

URL = reverse("followups:mine")


def assign(risk: Risk, user: User, *, urgent: int, later: int, activities: int = 0) -> None:
    """Open actions for the user: `urgent` past due, `later` due next year; and activities
    planned for every period, T1 reported."""
    actions = Action.objects.bulk_create(
        [
            Action(
                risk=risk,
                external_id=f"u-{number}",
                title=f"Brådskande {number:03d}",
                assignee=user,
                due_date=datetime.date(2025, 1, 1) + datetime.timedelta(days=number),
            )
            for number in range(urgent)
        ]
        + [
            Action(
                risk=risk,
                external_id=f"l-{number}",
                title=f"Senare {number:03d}",
                assignee=user,
                due_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=number),
            )
            for number in range(later)
        ]
    )
    FollowUp.objects.bulk_create(
        FollowUp(action=action, date=datetime.date(2025, 5, 1), comment="Pågår.")
        for action in actions
    )
    created = ControlActivity.objects.bulk_create(
        ControlActivity(
            risk=risk, external_id=f"uppgift-{n}", title=f"Kontroll {n:03d}", assignee=user
        )
        for n in range(activities)
    )
    periods = list(Period.objects.filter(organisation=risk.plan.unit.organisation))
    through = ControlActivity.periods.through
    through.objects.bulk_create(
        through(controlactivity_id=activity.pk, period_id=period.pk)
        for activity in created
        for period in periods
    )
    FollowUp.objects.bulk_create(
        FollowUp(control_activity=activity, period=periods[0], date=datetime.date(2025, 4, 30))
        for activity in created
    )


@time_machine.travel(datetime.date(2025, 9, 10), tick=False)
class MyTasksQueryTests(BaseTestCase):
    def queries(self, **params: object) -> int:
        # A request first: the scope is read once after a change to roles or units.
        self.client.get(URL, params)
        with CaptureQueriesContext(connection) as queries:
            assert self.client.get(URL, params).status_code == 200
        return len(queries)

    def test_120_tasks_cost_the_queries_of_5(self) -> None:
        self.client.force_login(self.responsible)
        assign(self.sn_risk, self.responsible, urgent=2, later=2, activities=1)
        five = self.queries()
        assign(self.bn_risk, self.responsible, urgent=50, later=50, activities=20)
        assert self.queries(page=2, later=2) == five


@time_machine.travel(datetime.date(2025, 9, 10), tick=False)
class MyTasksPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        assign(cls.sn_risk, cls.responsible, urgent=70, later=60, activities=5)

    def test_each_list_shows_50_at_a_time_soonest_due_first(self) -> None:
        self.client.force_login(self.responsible)
        response = self.client.get(URL)
        urgent = [task.item.title for task in response.context["urgent"]]
        later = [task.item.title for task in response.context["later"]]
        assert urgent == [f"Brådskande {number:03d}" for number in range(50)]
        assert later == [f"Senare {number:03d}" for number in range(50)]
        body = response.content.decode()
        assert "Visar 1–50 av 75" in body  # 70 actions past due and 5 activities with T2 due
        assert "Visar 1–50 av 60" in body
        assert 'aria-label="Sidor med det som ska rapporteras nu"' in body
        assert 'aria-label="Sidor med övriga uppgifter"' in body

    def test_the_lists_page_on_their_own(self) -> None:
        self.client.force_login(self.responsible)
        response = self.client.get(URL, {"page": 2})
        urgent = [task.item.title for task in response.context["urgent"]]
        assert urgent == [f"Brådskande {n:03d}" for n in range(50, 70)] + [
            f"Kontroll {n:03d}" for n in range(5)
        ]
        assert response.context["later"][0].item.title == "Senare 000"
        body = response.content.decode()
        assert "?page=2&amp;later=2" in body  # the other list's next page keeps this one's

    def test_the_second_list_pages_too(self) -> None:
        self.client.force_login(self.responsible)
        response = self.client.get(URL, {"later": 2})
        assert [task.item.title for task in response.context["later"]] == [
            f"Senare {n:03d}" for n in range(50, 60)
        ]
        assert "Visar 51–60 av 60" in response.content.decode()

    def test_the_activities_say_which_periods_are_missing(self) -> None:
        self.client.force_login(self.responsible)
        tasks = self.client.get(URL, {"page": 2}).context["urgent"]
        activity = next(task for task in tasks if task.kind == "control_activity")
        assert [period.code for period in activity.missing_periods] == ["T2"]
        assert activity.due == datetime.date(2025, 8, 31)
        assert activity.latest is not None

    def test_another_person_sees_none_of_them(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(URL)
        titles = [task.item.title for task in response.context["urgent"]]
        titles += [task.item.title for task in response.context["later"]]
        assert not any(title.startswith(("Brådskande", "Senare", "Kontroll")) for title in titles)
        assert 'class="pager"' not in response.content.decode()

    def test_actions_without_a_due_date_come_last(self) -> None:
        Action.objects.create(
            risk=self.sn_risk, external_id="x", title="Utan datum", assignee=self.responsible
        )
        self.client.force_login(self.responsible)
        response = self.client.get(URL, {"later": 2})
        assert response.context["later"][-1].item.title == "Utan datum"


@time_machine.travel(datetime.date(2025, 9, 10), tick=False)
class LatestFollowUpTests(BaseTestCase):
    def follow_ups_read(self) -> int:
        """How many follow-ups the page reads from the database."""
        read = 0

        def count(sender: type, **kwargs: object) -> None:
            nonlocal read
            read += 1

        post_init.connect(count, sender=FollowUp)
        try:
            response = self.client.get(URL)
        finally:
            post_init.disconnect(count, sender=FollowUp)
        assert response.status_code == 200
        return read

    def test_each_task_shows_its_latest_follow_up_reading_no_older_ones(self) -> None:
        assign(self.sn_risk, self.responsible, urgent=2, later=1, activities=1)
        self.client.force_login(self.responsible)
        first = self.follow_ups_read()
        action = Action.objects.get(assignee=self.responsible, external_id="u-0")
        FollowUp.objects.bulk_create(
            FollowUp(action=action, date=datetime.date(2025, 6, day), comment=f"Rad {day}")
            for day in range(1, 31)
        )
        assert self.follow_ups_read() == first
        response = self.client.get(URL)
        latest = {(task.kind, task.pk): task.latest for task in response.context["urgent"]}
        assert latest[("action", action.pk)].comment == "Rad 30"
        assert "2025-06-30: Rad 30" in response.content.decode()

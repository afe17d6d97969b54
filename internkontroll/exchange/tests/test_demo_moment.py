"""The demo follows today's date: this year and last, as they stand on the day it is built."""

from __future__ import annotations

import datetime
import io
from typing import TYPE_CHECKING, Any, ClassVar

import time_machine
from django.core.management import call_command
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from django.utils import timezone

from internkontroll.accounts.models import Role, User
from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.exchange.management.commands.demo import (
    NEXT_YEAR_FROM_MONTH,
    as_of,
    shifted,
)
from internkontroll.followups.models import FollowUp
from internkontroll.organisation.models import Organisation
from internkontroll.plans.models import AdoptedVersion, Assessment, ControlPlan
from internkontroll.risks.models import Action, RolloverDecision


def at(day: datetime.date) -> Any:
    moment = datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)
    return time_machine.travel(moment, tick=False)


class ShiftTests(SimpleTestCase):
    def test_dates_years_identifiers_and_texts_move_together(self) -> None:
        document = {
            "plans": [
                {
                    "year": 2026,
                    "reference": "SN-2025/271",
                    "adopted_on": "2025-12-11",
                    "risks": [{"id": "sn-2026-r1", "description": "Som 2025, 20 000 kronor."}],
                }
            ],
        }
        plan = shifted(document, 2)["plans"][0]
        assert plan["year"] == 2028
        assert plan["reference"] == "SN-2027/271"
        assert plan["adopted_on"] == "2027-12-11"
        assert plan["risks"][0] == {"id": "sn-2028-r1", "description": "Som 2027, 20 000 kronor."}

    def test_29_february_becomes_28_in_a_common_year(self) -> None:
        assert shifted({"date": "2024-02-29"}, 1) == {"date": "2025-02-28"}

    def test_what_lies_after_the_day_is_cut_and_statuses_follow_what_is_left(self) -> None:
        action = {
            "status": "done",
            "follow_ups": [
                {"date": "2026-05-11", "status": "in_progress"},
                {"date": "2026-09-14", "status": "done"},
            ],
        }
        untouched = {"status": "cancelled", "follow_ups": []}
        document = {
            "plans": [
                {
                    "assessment": {"decided_on": "2026-08-01"},
                    "risks": [{"actions": [action, untouched], "follow_ups": []}],
                }
            ],
            "audit_reports": [{"date": "2026-07-01", "recommendations": []}],
        }
        result = as_of(document, datetime.date(2026, 6, 1))
        assert action == {
            "status": "in_progress",
            "follow_ups": [{"date": "2026-05-11", "status": "in_progress"}],
        }
        assert untouched["status"] == "cancelled"
        assert "assessment" not in result["plans"][0]
        assert result["audit_reports"] == []


if TYPE_CHECKING:
    Cases = TestCase
else:
    Cases = object  # the cases run only in the TestCase classes that mix them in


class DemoOnADay(Cases):
    """The demo built on `day`; the classes below pick days across the year."""

    day: ClassVar[datetime.date]

    @classmethod
    def setUpTestData(cls) -> None:
        with at(cls.day):
            call_command("demo", quiet_logins=True, stdout=io.StringIO())
        cls.organisation = Organisation.objects.get(name="Exempelkommun")
        cls.this_year = cls.day.year

    def plans(self, year: int) -> Any:
        return ControlPlan.objects.filter(year=year)

    def follow_ups_of(self, year: int) -> Any:
        return FollowUp.objects.filter(
            control_activity__risk__plan__year=year
        ) | FollowUp.objects.filter(action__risk__plan__year=year)

    def test_the_plans_are_this_years_and_last_years_and_in_the_autumn_next_years(self) -> None:
        years = set(ControlPlan.objects.values_list("year", flat=True))
        autumn = self.day.month >= NEXT_YEAR_FROM_MONTH
        assert years == {self.this_year - 1, self.this_year, *([self.this_year + 1] * autumn)}
        assert not ControlPlan.objects.filter(adopted_on__gt=self.day).exists()
        assert not ControlPlan.objects.filter(
            year=self.this_year + 1, adopted_on__isnull=False
        ).exists()

    def test_nothing_is_reported_decided_or_audited_after_the_day(self) -> None:
        assert not FollowUp.objects.filter(date__gt=self.day).exists()
        assert not Assessment.objects.filter(decided_on__gt=self.day).exists()
        assert not AuditReport.objects.filter(date__gt=self.day).exists()
        assert not AdoptedVersion.objects.filter(decided_on__gt=self.day).exists()

    def test_this_years_reports_are_only_for_periods_that_have_ended(self) -> None:
        for follow_up in self.follow_ups_of(self.this_year).select_related("period"):
            assert follow_up.period is not None
            assert follow_up.period.end_date(self.this_year) < self.day

    def test_last_year_was_followed_up_through_the_year(self) -> None:
        periods = set(self.follow_ups_of(self.this_year - 1).values_list("period__code", flat=True))
        assert {"T1", "T2"} <= periods

    def test_an_actions_status_is_what_its_last_follow_up_says(self) -> None:
        for action in Action.objects.prefetch_related("follow_ups"):
            latest = max(action.follow_ups.all(), key=lambda f: (f.date, f.pk), default=None)
            if latest is not None and latest.status:
                assert action.status == latest.status, action.title
        for recommendation in Recommendation.objects.prefetch_related("follow_ups"):
            latest = max(
                recommendation.follow_ups.all(), key=lambda f: (f.date, f.pk), default=None
            )
            if latest is not None and latest.status:
                assert recommendation.status == latest.status

    def test_the_administrator_is_the_organisations_and_no_superuser(self) -> None:
        admin = User.objects.get(username="admin")
        assert not admin.is_superuser and not admin.is_staff
        assert admin.role_assignments.filter(role=Role.ADMIN, unit__isnull=True).exists()
        self.client.force_login(admin)
        assert self.client.get(reverse("organisation:matrix_edit")).status_code == 200
        assert self.client.get(reverse("organisation:settings")).status_code == 200
        assert self.client.get(reverse("admin:index")).status_code == 302

    def test_plans_are_followed_up_from_january_and_closed_once_assessed(self) -> None:
        for plan in ControlPlan.objects.filter(adopted_on__isnull=False, year__lte=self.this_year):
            started = self.day >= datetime.date(plan.year, 1, 19)
            closed = self.day >= datetime.date(plan.year + 1, 3, 2)
            expected = "closed" if closed else "follow_up" if started else "adopted"
            assert plan.status == expected, (plan, self.day)
            if closed:
                assert plan.assessment.decided_on < plan.closed_at.date()
        sn = ControlPlan.objects.filter(unit__external_id="sn", follow_up_started_at__isnull=False)
        assert {plan.follow_up_started_by.username for plan in sn} == {"samordnare"}
        assert (
            not ControlPlan.objects.filter(adopted_on__isnull=True)
            .exclude(follow_up_started_at=None)
            .exists()
        )

    def test_an_adoption_is_recorded_after_the_meeting_and_before_the_follow_up(self) -> None:
        versions = AdoptedVersion.objects.filter(kind="plan").select_related("plan")
        assert versions.exists()
        for version in versions:
            plan, recorded = version.plan, timezone.localtime(version.created_at)
            assert plan.adopted_on is not None
            assert plan.adopted_on < recorded.date() <= self.day, (plan, recorded)
            assert recorded.weekday() < 5 and recorded.hour == 9, (plan, recorded)
            if plan.follow_up_started_at is not None:
                assert version.created_at < plan.follow_up_started_at, plan
            # The history says the same: recorded then, by the coordinator.
            entry = version.history.get()
            assert entry.history_date == version.created_at
            assert entry.history_user.username == "samordnare"

    def test_the_responsible_person_has_no_task_in_a_closed_plan(self) -> None:
        responsible = User.objects.get(username="ansvarig")
        self.client.force_login(responsible)
        html = self.client.get(reverse("followups:mine")).content.decode()
        assert not any(
            reverse("followups:report_action", args=[pk]) in html
            for pk in Action.objects.filter(risk__plan__closed_at__isnull=False).values_list(
                "pk", flat=True
            )
        )

    def test_the_responsible_person_has_this_years_items_to_report(self) -> None:
        responsible = User.objects.get(username="ansvarig")
        assigned = Action.objects.filter(assignee=responsible, risk__plan__year=self.this_year)
        assert assigned.exists()
        self.client.force_login(responsible)
        html = self.client.get(reverse("followups:mine")).content.decode()
        assert any(action.title in html for action in assigned)


class DemoInFebruary(DemoOnADay, TestCase):
    """Last year's annual report is being written; this year has only just begun."""

    day = datetime.date(2027, 2, 10)

    def test_last_years_annual_report_is_partly_in(self) -> None:
        last = self.follow_ups_of(self.this_year - 1).filter(period__code="VB")
        assert last.exists()
        assert last.filter(date__lte=self.day).count() == last.count()
        assert not self.follow_ups_of(self.this_year).exists()


class DemoInMay(DemoOnADay, TestCase):
    """T1 has ended and is to be reported; nothing of this year is in yet."""

    day = datetime.date(2026, 5, 5)

    def test_next_years_plans_are_not_begun(self) -> None:
        assert not ControlPlan.objects.filter(year=self.this_year + 1).exists()
        assert not RolloverDecision.objects.exists()

    def test_the_first_period_is_not_yet_reported(self) -> None:
        assert not self.follow_ups_of(self.this_year).exists()
        assert set(Assessment.objects.values_list("plan__year", flat=True)) == {self.this_year - 1}


class NextYearsDrafts(Cases):
    """In the autumn every committee with an adopted plan is drafting next year's."""

    def test_each_adopted_plan_is_rolled_over_into_a_draft(self) -> None:
        adopted = ControlPlan.objects.filter(year=self.this_year, adopted_on__isnull=False)
        drafts = ControlPlan.objects.filter(year=self.this_year + 1)
        assert set(drafts.values_list("unit_id", flat=True)) == set(
            adopted.values_list("unit_id", flat=True)
        )
        assert not ControlPlan.objects.filter(
            year=self.this_year, adopted_on__isnull=True, unit__plans__year=self.this_year + 1
        ).exists()
        for plan in adopted:
            decided = RolloverDecision.objects.filter(risk__plan=plan)
            assert decided.count() == plan.risks.count(), plan
            carried = decided.filter(decision=RolloverDecision.Decision.CARRY)
            following = drafts.get(unit=plan.unit)
            assert following.risks.count() == carried.count() > 0

    def test_the_coordinator_closes_a_low_risk_with_a_reason(self) -> None:
        closed = RolloverDecision.objects.exclude(decision=RolloverDecision.Decision.CARRY)
        decision = closed.select_related("risk__plan__unit", "decided_by").get()
        assert decision.decision == RolloverDecision.Decision.CLOSE
        assert decision.risk.plan.unit.external_id == "sn"
        assert decision.decided_by.username == "samordnare"
        assert decision.reason
        assert not decision.risk.actions.filter(status__in=["not_started", "in_progress"]).exists()

    def test_running_it_again_rolls_nothing_over_twice(self) -> None:
        risks = ControlPlan.objects.filter(year=self.this_year + 1).values_list("risks", flat=True)
        before = sorted(risks)
        with at(self.day):
            call_command("demo", quiet_logins=True, stdout=io.StringIO())
        assert sorted(risks) == before


class DemoInOctober(NextYearsDrafts, DemoOnADay, TestCase):
    """T1 and T2 are reported; the annual report lies ahead."""

    day = datetime.date(2028, 10, 15)

    def test_t1_and_t2_are_reported_this_year(self) -> None:
        periods = set(self.follow_ups_of(self.this_year).values_list("period__code", flat=True))
        assert periods == {"T1", "T2"}
        assert ControlPlan.objects.filter(reference__startswith="SN-2027/").exists()


class DemoInDecember(NextYearsDrafts, DemoOnADay, TestCase):
    """A year before the story's own: the story moves back as well as forward."""

    day = datetime.date(2025, 12, 20)

    def test_every_committee_has_both_years(self) -> None:
        assert set(self.plans(2025).values_list("unit__external_id", flat=True)) == set(
            self.plans(2024).values_list("unit__external_id", flat=True)
        )
        assert Action.objects.overdue(self.day).exists()

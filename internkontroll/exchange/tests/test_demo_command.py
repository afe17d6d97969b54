import datetime
import io
from collections import Counter

import time_machine
from django.core.management import call_command
from django.test import TestCase

from internkontroll.accounts.models import Role, User
from internkontroll.audits.models import Recommendation
from internkontroll.controls.models import ControlActivity
from internkontroll.exchange.management.commands.demo import DEMO_PASSWORD
from internkontroll.followups.models import FollowUp
from internkontroll.organisation.models import Organisation, Unit
from internkontroll.plans.models import Assessment, ControlPlan
from internkontroll.risks.models import Action, Progress, Risk

BUILT_ON = datetime.datetime(2026, 11, 16, 10, tzinfo=datetime.UTC)


class DemoCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.output = io.StringIO()
        # The demo follows the day it is built (test_demo_moment.py); these tests take one in
        # November, when last year is complete and this year is followed up in T1 and T2.
        with time_machine.travel(BUILT_ON):
            call_command("demo", stdout=cls.output)
        cls.organisation = Organisation.objects.get(name="Exempelkommun")

    def test_it_prints_one_login_per_role(self) -> None:
        printed = self.output.getvalue()
        assert DEMO_PASSWORD in printed
        roles = set(
            User.objects.filter(organisation=self.organisation).values_list(
                "role_assignments__role", flat=True
            )
        )
        assert roles == set(Role.values)
        for user in User.objects.filter(organisation=self.organisation):
            assert user.username in printed
            assert user.check_password(DEMO_PASSWORD)

    def test_it_has_four_committees_with_plans_for_two_consecutive_years(self) -> None:
        committees = Unit.objects.filter(organisation=self.organisation, kind="committee")
        assert committees.count() >= 4
        # In November next year's plans are drafts (test_demo_moment.py tells which).
        years = {BUILT_ON.year - 1, BUILT_ON.year}
        for committee in committees:
            assert years <= set(committee.plans.values_list("year", flat=True))
        assert Unit.objects.filter(organisation=self.organisation, kind="administration").exists()

    def test_risks_lie_on_every_level_in_both_years(self) -> None:
        for year in ControlPlan.objects.values_list("year", flat=True).distinct():
            levels = {
                risk.level.rank
                for risk in Risk.objects.filter(plan__year=year).select_related("plan__risk_matrix")
                if risk.level
            }
            assert levels == {0, 1, 2, 3}, year

    def test_one_committee_is_organised_by_goals_and_one_colours_its_matrix_by_cell(self) -> None:
        assert Risk.objects.filter(goal__isnull=False, process__isnull=False).exists()
        assert (
            ControlActivity.objects.exclude(working_method="")
            .exclude(systematic_control="")
            .exists()
        )
        assert ControlPlan.objects.filter(risk_matrix__cells__isnull=False).exists()

    def test_actions_are_in_every_status_and_some_are_overdue(self) -> None:
        assert set(Action.objects.values_list("status", flat=True)) == set(Progress.values)
        assert Action.objects.overdue().exists()

    def test_control_activities_are_followed_up_in_every_period_with_deviations(self) -> None:
        per_period = Counter(
            FollowUp.objects.filter(control_activity__isnull=False).values_list(
                "period__code", flat=True
            )
        )
        assert set(per_period) == {"T1", "T2", "VB"}
        assert FollowUp.objects.filter(result="deviation").count() >= 5

    def test_it_has_audit_recommendations_and_assessments(self) -> None:
        assert Recommendation.objects.count() >= 4
        assert set(Assessment.objects.values_list("verdict", flat=True)) == {
            "sufficient",
            "partly_sufficient",
            "insufficient",
        }

    def test_the_import_is_recorded_as_the_administrator(self) -> None:
        admin = User.objects.get(username="admin")
        imported = Risk.objects.filter(plan__year__lte=BUILT_ON.year)
        history = Risk.history.filter(history_user=admin, plan__year__lte=BUILT_ON.year)
        assert history.count() == imported.count()

    def test_running_it_again_changes_nothing(self) -> None:
        counts = (
            Risk.objects.count(),
            Action.objects.count(),
            FollowUp.objects.count(),
            Risk.history.count(),
            ControlPlan.history.count(),
        )
        with time_machine.travel(BUILT_ON):
            call_command("demo", stdout=io.StringIO())
        assert counts == (
            Risk.objects.count(),
            Action.objects.count(),
            FollowUp.objects.count(),
            Risk.history.count(),
            ControlPlan.history.count(),
        )

    def test_adopted_plans_are_frozen_and_one_shows_changes_since(self) -> None:
        from internkontroll.access.plans import WHOLE
        from internkontroll.plans.models import AdoptedVersion
        from internkontroll.plans.versions import changes_since_adoption

        adopted = ControlPlan.objects.filter(adopted_on__isnull=False)
        assert AdoptedVersion.objects.filter(kind="plan").count() == adopted.count()
        changed = [
            plan
            for plan in adopted
            if changes_since_adoption(plan, list(plan.versions.all()), WHOLE)[1]
        ]
        assert [plan.unit.external_id for plan in changed] == ["sn"]

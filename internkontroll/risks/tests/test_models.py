import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from internkontroll.risks.models import Action, Risk
from internkontroll.test import BaseTestCase, make_plan, make_risk


class RiskAssessmentTests(BaseTestCase):
    def test_score_and_level_follow_from_the_assessment(self) -> None:
        risk = Risk.objects.get(pk=self.sn_risk.pk)
        assert risk.score == 9
        assert risk.level.name == "Kritisk"
        assert risk.is_critical

    def test_an_unassessed_risk_has_no_score_or_level(self) -> None:
        risk = make_risk(self.sn_plan, "r-9")
        assert (risk.score, risk.level, risk.is_critical) == (None, None, False)

    def test_the_target_assessment_has_its_own_score_and_level(self) -> None:
        risk = make_risk(
            self.sn_plan,
            "r-9",
            probability=4,
            consequence=4,
            target_probability=1,
            target_consequence=2,
        )
        assert (risk.target_score, risk.target_level.name) == (2, "Låg")

    def test_a_value_outside_the_years_scale_is_refused_with_a_message(self) -> None:
        risk = Risk(plan=self.sn_plan, external_id="r-9", title="X", probability=5, consequence=1)
        with pytest.raises(ValidationError) as error:
            risk.full_clean()
        assert "probability" in error.value.message_dict

    def test_probability_without_consequence_is_refused(self) -> None:
        risk = Risk(plan=self.sn_plan, external_id="r-9", title="X", probability=2)
        with pytest.raises(ValidationError):
            risk.full_clean()

    def test_the_database_refuses_values_no_matrix_can_hold(self) -> None:
        with pytest.raises(IntegrityError), transaction.atomic():
            make_risk(self.sn_plan, "r-9", probability=7, consequence=1)
        with pytest.raises(IntegrityError), transaction.atomic():
            make_risk(self.sn_plan, "r-10", probability=2, consequence=None)

    def test_the_database_refuses_a_repeated_risk_id_in_a_plan(self) -> None:
        with pytest.raises(IntegrityError), transaction.atomic():
            make_risk(self.sn_plan, "r-1")
        make_risk(self.bn_plan, "r-2")  # the same id in another plan is fine

    def test_the_database_refuses_a_second_plan_for_the_same_committee_and_year(self) -> None:
        with pytest.raises(IntegrityError), transaction.atomic():
            make_plan(self.sn, 2025)
        make_plan(self.sn, 2026)

    def test_unknown_handling_codes_are_refused(self) -> None:
        risk = Risk(plan=self.sn_plan, external_id="r-9", title="X", handling=["ignore"])
        with pytest.raises(ValidationError):
            risk.full_clean()


class OverdueTests(BaseTestCase):
    def action(self, status: str, due: datetime.date | None) -> Action:
        return Action.objects.create(
            risk=self.sn_risk,
            external_id=f"a-{status}-{due}",
            title="X",
            status=status,
            due_date=due,
        )

    @time_machine.travel(datetime.date(2025, 7, 1), tick=False)
    def test_an_open_action_past_its_due_date_is_overdue(self) -> None:
        past = datetime.date(2025, 6, 30)
        assert self.action("not_started", past).is_overdue()
        assert self.action("in_progress", past).is_overdue()
        assert not self.action("done", past).is_overdue()
        assert not self.action("cancelled", past).is_overdue()

    @time_machine.travel(datetime.date(2025, 6, 30), tick=False)
    def test_an_action_due_today_or_without_date_is_not_overdue(self) -> None:
        assert not self.action("in_progress", datetime.date(2025, 6, 30)).is_overdue()
        assert not self.action("in_progress", None).is_overdue()

    @time_machine.travel(datetime.date(2025, 7, 1), tick=False)
    def test_the_overdue_queryset_agrees_with_the_method(self) -> None:
        self.action("done", datetime.date(2025, 1, 1))
        self.action("in_progress", datetime.date(2026, 1, 1))
        overdue = set(Action.objects.overdue())
        assert overdue == {a for a in Action.objects.all() if a.is_overdue()}
        assert self.sn_action in overdue

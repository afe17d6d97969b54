"""`in_plan_for_user` gives exactly `for_user(...).filter(plan)`, asking for the plan alone
when the person's scope covers the plan's committee."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from internkontroll.accounts.tests.scope_cast import every_role_everywhere
from internkontroll.controls.models import ControlActivity
from internkontroll.plans.models import Assessment, ControlPlan
from internkontroll.risks.models import Action, Risk, RolloverDecision
from internkontroll.test import BaseTestCase, make_risk

# Each model's path to its plan.
PLAN_PATHS = {
    Risk: "plan",
    Action: "risk__plan",
    ControlActivity: "risk__plan",
    RolloverDecision: "risk__plan",
    Assessment: "plan",
}


class InPlanTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # A risk identified below the committee, and one identified by another committee's
        # unit in this plan: a person below the committee sees only some of the plan's rows.
        cls.barn_risk = make_risk(cls.sn_plan, "r-2", unit=cls.sf_barn)
        cls.bf_risk = make_risk(cls.sn_plan, "r-3", unit=cls.bf)
        for risk in (cls.barn_risk, cls.bf_risk):
            Action.objects.create(risk=risk, external_id="a-1", title="Åtgärd")
            ControlActivity.objects.create(risk=risk, external_id="k-1", title="Kontroll")

    def test_the_same_rows_as_for_user_for_every_role_unit_model_and_plan(self) -> None:
        people = every_role_everywhere(self, "ip")
        for plan in ControlPlan.objects.all():
            for model, path in PLAN_PATHS.items():
                for person in people:
                    for write in (False, True):
                        with self.subTest(
                            plan=plan.pk, model=model.__name__, user=person.username, write=write
                        ):
                            expected = set(
                                model.objects.for_user(person, write=write)
                                .filter(**{path: plan})
                                .values_list("pk", flat=True)
                            )
                            found = set(
                                model.objects.in_plan_for_user(
                                    plan, person, write=write
                                ).values_list("pk", flat=True)
                            )
                            assert found == expected

    def test_a_person_below_the_committee_sees_only_their_part_of_the_plan(self) -> None:
        found = set(Risk.objects.in_plan_for_user(self.sn_plan, self.responsible))
        assert found == {self.sn_risk}

    def test_a_covered_plan_is_asked_for_alone(self) -> None:
        for person, plan, simple in (
            (self.coordinator, self.sn_plan, True),
            (self.reader, self.bn_plan, True),
            (self.responsible, self.sn_plan, False),
        ):
            with self.subTest(user=person.username), CaptureQueriesContext(connection) as queries:
                list(Risk.objects.in_plan_for_user(plan, person))
            listing = queries.captured_queries[-1]["sql"]
            # The scope's unit ids: an array on PostgreSQL, JSON on SQLite (access.InIds).
            scoped = "ANY(" in listing or "json_each" in listing
            assert scoped is not simple

    def test_a_model_that_does_not_reach_a_plan_is_refused(self) -> None:
        with pytest.raises(TypeError):
            ControlPlan.objects.in_plan_for_user(self.sn_plan, self.coordinator)

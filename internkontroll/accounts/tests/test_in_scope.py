"""The scope's condition, written as SQL of its own (access.InScope), where Django puts a
condition: in a subquery, inside another scope's, beside an OR, negated, and for nobody."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from internkontroll.access import InIdsTerm, InScope, scope_for
from internkontroll.accounts.models import User
from internkontroll.audits.models import Recommendation
from internkontroll.followups.models import FollowUp
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.models import Action, Risk
from internkontroll.test import BaseTestCase, make_user


class InScopeTests(BaseTestCase):
    def people(self) -> list[Any]:
        nobody = make_user("ingen", self.organisation, [])
        return [
            self.coordinator,
            self.responsible,
            self.reader,
            self.auditor,
            self.admin,
            self.outsider,
            nobody,
        ]

    def fresh(self, person: Any) -> Any:
        return User.objects.get(pk=person.pk)  # a scope anew, as in a new request

    def test_it_keeps_its_rows_in_a_subquery(self) -> None:
        for person in self.people():
            with self.subTest(person.username):
                user = self.fresh(person)
                risk_ids = {action.risk_id for action in Action.objects.for_user(user)}
                found = Risk.objects.filter(pk__in=Action.objects.for_user(user).values("risk_id"))
                assert {risk.pk for risk in found} == risk_ids

    def test_a_scope_inside_another_keeps_both(self) -> None:
        for person in self.people():
            with self.subTest(person.username):
                user = self.fresh(person)
                plans = {plan.pk for plan in ControlPlan.objects.for_user(user)}
                with_risks = {risk.plan_id for risk in Risk.objects.for_user(user)}
                found = ControlPlan.objects.for_user(user).filter(
                    pk__in=Risk.objects.for_user(user).values("plan_id")
                )
                assert {plan.pk for plan in found} == plans & with_risks

    def test_negated_it_keeps_the_other_rows(self) -> None:
        every = set(Risk.objects.values_list("pk", flat=True))
        for person in self.people():
            with self.subTest(person.username):
                user = self.fresh(person)
                inside = set(Risk.objects.for_user(user).values_list("pk", flat=True))
                outside = Risk.objects.exclude(pk__in=Risk.objects.for_user(user).values("pk"))
                assert set(outside.values_list("pk", flat=True)) == every - inside

    def test_or_another_condition_adds_its_rows(self) -> None:
        for person in self.people():
            with self.subTest(person.username):
                user = self.fresh(person)
                inside = set(Risk.objects.for_user(user).values_list("pk", flat=True))
                condition = Risk.objects.scope_condition(scope_for(user), write=False)
                found = Risk.objects.filter(condition | Q(pk=self.other_risk.pk))
                assert set(found.values_list("pk", flat=True)) == inside | {self.other_risk.pk}

    def test_nullable_paths_keep_rows_reached_by_any_of_them(self) -> None:
        on_recommendation = FollowUp.objects.create(
            recommendation=self.sn_recommendation, date=self.sn_follow_up.date, comment="Svar."
        )
        coordinator = self.fresh(self.coordinator)
        assert set(FollowUp.objects.for_user(coordinator)) == {
            self.sn_follow_up,
            on_recommendation,
        }
        # Read with its report's organisation-wide path, by an administrator of no unit.
        assert self.sn_recommendation in Recommendation.objects.for_user(self.fresh(self.admin))
        assert not FollowUp.objects.for_user(self.fresh(self.outsider)).exists()

    def test_for_nobody_it_asks_the_database_nothing(self) -> None:
        nobody = self.fresh(make_user("ingen", self.organisation, []))
        scope_for(nobody)
        with self.assertNumQueries(0):
            assert list(Risk.objects.for_user(nobody)) == []
            assert list(ControlPlan.objects.for_user(nobody)) == []
        found = Risk.objects.filter(
            Risk.objects.scope_condition(scope_for(nobody), write=False) | Q(pk=self.sn_risk.pk)
        )
        assert list(found) == [self.sn_risk]

    def test_equal_conditions_are_equal(self) -> None:
        term = InIdsTerm("unit_id", (1, 2))
        assert InScope((term,)) == InScope((InIdsTerm("unit_id", (1, 2)),))
        assert hash(InScope((term,))) == hash(InScope((InIdsTerm("unit_id", (1, 2)),)))
        assert InScope((term,)) != InScope((InIdsTerm("unit_id", (1, 3)),))

"""A scope's units reach the database as one parameter, however many there are."""

from __future__ import annotations

from internkontroll.accounts.models import User
from internkontroll.organisation.models import Unit
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.models import Risk
from internkontroll.test import BaseTestCase, make_unit


class ScopeIdsTests(BaseTestCase):
    def test_it_keeps_exactly_the_rows_of_the_ids(self) -> None:
        found = Unit.objects.filter(pk__in_ids={self.sn.pk, self.sf_barn.pk})
        assert set(found) == {self.sn, self.sf_barn}

    def test_it_follows_a_foreign_key(self) -> None:
        found = Risk.objects.filter(plan__unit_id__in_ids=[self.bn.pk, self.ks.pk])
        assert list(found) == [self.bn_risk]

    def test_it_keeps_nothing_for_no_ids(self) -> None:
        assert not Unit.objects.filter(pk__in_ids=[]).exists()

    def test_it_can_be_negated(self) -> None:
        others = Unit.objects.filter(organisation=self.organisation).exclude(
            pk__in_ids=[self.sn.pk]
        )
        assert self.sn not in others
        assert self.bn in others

    def test_an_administrators_scope_is_one_parameter_per_path_however_many_units(self) -> None:
        def parameters() -> int:
            admin = User.objects.get(pk=self.admin.pk)  # as in a new request: a scope anew
            _sql, params = Risk.objects.for_user(admin).query.sql_with_params()
            return len(params)

        before = parameters()
        for number in range(50):
            make_unit(self.organisation, f"enhet-{number}", "unit", self.sf_vux)
        assert parameters() == before == 2  # the plan's unit and the risk's own

    def test_a_subquery_of_ids_leaves_its_ordering_out(self) -> None:
        # A plan is ordered by its unit's name: as a set of ids that would only add a join.
        plans = ControlPlan.objects.filter(unit=self.sn).values("pk")
        found = Risk.objects.filter(plan_id__in_ids=plans)
        sql = str(found.order_by("id").query)
        assert list(found) == [self.sn_risk]
        assert "ORDER BY" not in sql.replace('ORDER BY "risks_risk"."id" ASC', "")
        assert sql.count("organisation_unit") == 0

    def test_a_sliced_subquery_keeps_its_ordering(self) -> None:
        # The first plan by the unit's name: the ordering decides which rows the slice holds.
        first = ControlPlan.objects.filter(unit__in=[self.sn, self.bn]).values("pk")[:1]
        found = Risk.objects.filter(plan_id__in_ids=first)
        assert "organisation_unit" in str(found.query)
        assert list(found) == [self.bn_risk]  # Barn- och utbildningsnämnden before Social…

"""Prepared queries: built and compiled once per shape, the same rows as the querysets they
stand for, with each run's own values."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, models
from django.db.models import Q, QuerySet
from django.http import Http404

from internkontroll.access import read_for_user, scope_slots
from internkontroll.accounts.models import Role, User
from internkontroll.audits.models import Recommendation
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.lib.prepared import IdsSlot, PreparedQuery, Slot
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.models import Action, Risk, get_risk_for_user
from internkontroll.test import BaseTestCase, make_risk, make_user

ID = models.BigIntegerField()


class PreparedQueryTests(BaseTestCase):
    def counted(self, build: object) -> tuple[PreparedQuery[Risk], list[tuple[object, ...]]]:
        calls: list[tuple[object, ...]] = []

        def counting(*shape: object) -> QuerySet[Risk]:
            calls.append(shape)
            return build(*shape)  # type: ignore[operator]

        return PreparedQuery(Risk, counting), calls

    def test_it_builds_once_per_shape_and_runs_with_each_runs_values(self) -> None:
        query, calls = self.counted(
            lambda: Risk.objects.filter(title=Slot("title", models.CharField())).order_by("id")
        )
        assert query.rows(title=self.sn_risk.title) == [self.sn_risk]
        assert query.rows(title=self.bn_risk.title) == [self.bn_risk]
        assert query.rows(title="Ingen sådan risk") == []
        assert calls == [()]

    def test_the_shape_changes_the_sql_and_is_built_for_each(self) -> None:
        def build(with_plan: bool) -> QuerySet[Risk]:
            condition = Q(pk=Slot("risk", ID))
            if with_plan:
                condition |= Q(plan_id=Slot("plan", ID))
            return Risk.objects.filter(condition).order_by("id")

        query, calls = self.counted(build)
        assert query.rows(False, risk=self.bn_risk.pk) == [self.bn_risk]
        assert query.rows(True, risk=self.bn_risk.pk, plan=self.other_plan.pk) == [
            self.bn_risk,
            self.other_risk,
        ]
        assert query.rows(False, risk=self.sn_risk.pk) == [self.sn_risk]
        assert calls == [(False,), (True,)]

    def test_it_reads_related_rows_and_prefetches_as_the_queryset_does(self) -> None:
        query = PreparedQuery(
            Risk,
            lambda: (
                Risk.objects.filter(pk=Slot("pk", ID))
                .select_related("plan__unit")
                .prefetch_related("actions")
            ),
        )
        query.rows(pk=self.sn_risk.pk)  # compiled
        with self.assertNumQueries(2):  # the risks with their plans, then their actions
            [risk] = query.rows(pk=self.sn_risk.pk)
            assert risk.plan.unit.name == "Socialnämnden"
            assert list(risk.actions.all()) == [self.sn_action]

    def test_it_gives_values_as_values_list_does(self) -> None:
        query = PreparedQuery(
            Risk,
            lambda: Risk.objects.filter(plan__unit_id=Slot("unit", ID)).values_list(
                "title", "plan__year"
            ),
        )
        assert query.rows(unit=self.sn.pk) == [(self.sn_risk.title, self.sn_plan.year)]

    def test_its_columns_are_converted_as_the_querysets_on_every_run(self) -> None:
        columns = ("due_date", "risk__handling", "title")
        query = PreparedQuery(
            Action, lambda: Action.objects.filter(pk=Slot("pk", ID)).values_list(*columns)
        )
        undated = Action.objects.create(
            risk=self.bn_risk, external_id="a-2", title="Utan slutdatum", due_date=None
        )
        for action in (self.sn_action, self.sn_action, undated):
            expected = list(Action.objects.filter(pk=action.pk).values_list(*columns))
            assert query.rows(pk=action.pk) == expected
        assert query.rows(pk=self.sn_action.pk) == [
            (datetime.date(2025, 6, 30), ["mitigate", "review"], self.sn_action.title)
        ]
        compiled = next(iter(query._compiled.values()))
        assert len(compiled.converters) == 1  # type: ignore[attr-defined]  # one connection

    def test_a_set_of_ids_is_one_slot_however_many(self) -> None:
        query = PreparedQuery(
            Risk, lambda: Risk.objects.filter(pk__in_ids=IdsSlot("ids")).order_by("id")
        )
        assert query.rows(ids=[self.bn_risk.pk]) == [self.bn_risk]
        assert query.rows(ids={self.sn_risk.pk, self.bn_risk.pk, 10**9}) == sorted(
            [self.sn_risk, self.bn_risk], key=lambda risk: risk.pk
        )
        assert query.rows(ids=[]) == []

    def test_a_value_is_sent_in_its_fields_database_form(self) -> None:
        query = PreparedQuery(
            Action, lambda: Action.objects.filter(due_date__lte=Slot("day", models.DateField()))
        )
        assert query.rows(day=self.sn_action.due_date) == [self.sn_action]
        assert query.rows(day=self.sn_action.due_date.replace(day=29)) == []

    def test_it_refuses_none_and_a_missing_value(self) -> None:
        query = PreparedQuery(
            Risk, lambda: Risk.objects.filter(title=Slot("title", models.CharField()))
        )
        with pytest.raises(ValueError, match="title"):
            query.rows(title=None)
        with pytest.raises(TypeError, match="title"):
            query.rows(name="x")

    def test_a_shape_without_rows_asks_nothing(self) -> None:
        query = PreparedQuery(Risk, lambda: Risk.objects.filter(pk__in=[]))
        with self.assertNumQueries(0):
            assert query.rows() == []

    def test_it_refuses_a_build_of_another_model(self) -> None:
        query = PreparedQuery(Risk, lambda: Action.objects.all())
        with pytest.raises(TypeError, match="Action"):
            query.rows()

    def test_the_sql_holds_no_value_of_a_run(self) -> None:
        query = PreparedQuery(
            Risk, lambda: Risk.objects.filter(title=Slot("title", models.CharField()))
        )
        secret = "Hemlig titel"
        query.rows(title=secret)
        compiled = next(iter(query._compiled.values()))
        assert secret not in compiled.sql  # type: ignore[attr-defined]


class PreparedScopeTests(BaseTestCase):
    """`in_prepared_scope` keeps the rows `for_user` keeps, for every kind of person."""

    models = (Risk, Action, ControlActivity, Recommendation, ControlPlan, FollowUp)

    def people(self) -> list[User]:
        below = make_user("enhetschef", self.organisation, [(Role.RESPONSIBLE, self.sf_barn)])
        superuser = User.objects.create_superuser("rot", password="x" * 20)
        return [
            self.coordinator,
            self.responsible,
            below,
            self.reader,
            self.auditor,
            self.admin,
            self.outsider,
            superuser,
        ]

    def test_it_keeps_the_rows_for_user_keeps(self) -> None:
        # A plan a person below the committee knows of through a risk their unit identified.
        make_risk(self.bn_plan, "r-2", title="Barnenhetens risk", unit=self.sf_barn)
        people = self.people()
        for model in self.models:
            query = PreparedQuery(
                model,
                lambda scope, model=model: model.objects.in_prepared_scope(scope).order_by("id"),
            )
            for person in people:
                for write in (False, True):
                    with self.subTest(model=model.__name__, person=person.username, write=write):
                        user = User.objects.get(pk=person.pk)  # a scope of its own
                        shape, values = scope_slots(user, write)
                        expected = list(model.objects.for_user(user, write=write).order_by("id"))
                        assert query.rows(shape, **values) == expected

    def test_a_risk_is_read_through_it_or_not_found(self) -> None:
        risk = get_risk_for_user(self.coordinator, self.sn_risk.pk)
        assert risk == self.sn_risk
        assert risk.plan.unit == self.sn  # read with it
        for pk in (self.bn_risk.pk, self.other_risk.pk, "abc", 2**63, -(2**63) - 1, None):
            with self.subTest(pk=pk), pytest.raises(Http404):
                get_risk_for_user(self.coordinator, pk)
        assert get_risk_for_user(self.reader, self.bn_risk.pk) == self.bn_risk

    def test_read_for_user_plans_its_joins_as_written_on_postgresql(self) -> None:
        from internkontroll.risks.models import _readable_risk

        scope_slots(self.coordinator)  # the scope known, as in a request that read it before
        # SET and RESET join_collapse_limit around it on PostgreSQL
        with self.assertNumQueries(3 if connection.vendor == "postgresql" else 1):
            read_for_user(_readable_risk, self.coordinator, self.sn_risk.pk, ())

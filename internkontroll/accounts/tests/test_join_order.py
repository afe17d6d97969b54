"""A lookup by primary key that joins many tables is planned in its written order on
PostgreSQL (access.joins_as_written), and the connection's setting is back afterwards."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.http import Http404
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext

from internkontroll.access import joins_as_written
from internkontroll.accounts.models import Role
from internkontroll.plans.models import get_plan_for_user
from internkontroll.risks.models import get_action_for_user, get_risk_for_user
from internkontroll.test import BaseTestCase, make_user

WRITTEN_ORDER = "SET join_collapse_limit = 1"


def setting() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW join_collapse_limit")
        return str(cursor.fetchone()[0])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
class JoinOrderTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.reader = make_user("jo-reader", cls.organisation, [(Role.READER, cls.sn)])

    def test_the_risk_page_lookup_is_planned_as_written_and_the_setting_reset(self) -> None:
        default = setting()
        with CaptureQueriesContext(connection) as queries:
            risk = get_risk_for_user(self.reader, self.sn_risk.pk)
        assert risk == self.sn_risk
        statements = [query["sql"] for query in queries.captured_queries]
        start = statements.index(WRITTEN_ORDER)
        assert "risks_risk" in statements[start + 1]
        assert statements[start + 2 :] == ["RESET join_collapse_limit"]
        assert setting() == default

    def test_a_refused_lookup_resets_the_setting_too(self) -> None:
        default = setting()
        outsider = make_user("jo-outsider", self.organisation, [(Role.READER, self.bn)])
        with pytest.raises(Http404):
            get_risk_for_user(outsider, self.sn_risk.pk)
        assert setting() == default

    def test_lookups_with_few_joins_are_planned_as_usual(self) -> None:
        with CaptureQueriesContext(connection) as queries:
            get_plan_for_user(self.reader, self.sn_plan.pk)
        assert WRITTEN_ORDER not in [query["sql"] for query in queries.captured_queries]

    def test_a_lookup_asked_to_report_is_planned_as_usual(self) -> None:
        # reportable_by's conditions join tables of their own: planned as written they would
        # start from a whole table.
        coordinator = make_user("jo-coordinator", self.organisation, [(Role.COORDINATOR, self.sn)])
        with CaptureQueriesContext(connection) as queries:
            get_action_for_user(coordinator, self.sn_action.pk, report=True)
        assert WRITTEN_ORDER not in [query["sql"] for query in queries.captured_queries]

    def test_a_failed_query_inside_a_transaction_leaves_the_setting_as_it_was(self) -> None:
        default = setting()
        with (
            pytest.raises(DatabaseError),
            transaction.atomic(),
            joins_as_written(connection.alias),
            connection.cursor() as cursor,
        ):
            cursor.execute("SELECT 1 / 0")
        assert setting() == default


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
class OutsideTransactionTests(TransactionTestCase):
    def test_a_failed_query_outside_a_transaction_leaves_the_setting_as_it_was(self) -> None:
        default = setting()
        with (
            pytest.raises(DatabaseError),
            joins_as_written(connection.alias),
            connection.cursor() as cursor,
        ):
            cursor.execute("SELECT 1 / 0")
        assert setting() == default

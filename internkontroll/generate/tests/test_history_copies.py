"""On SQLite the history row of a row written as created is copied from it by the database
(`INSERT … SELECT`), not sent value by value: each row still has exactly the one history entry,
with its own moment, user and reason, and a row with several versions the entries built for
them."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock, skipUnless

from django.db import connection, transaction
from django.test import TestCase

from internkontroll.accounts.models import User
from internkontroll.generate import bulk
from internkontroll.organisation.models import Organisation, RiskArea

START = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
HISTORY = RiskArea.history.model._meta.db_table


@contextmanager
def statements_sent() -> Iterator[list[str]]:
    """The SQL SQLite runs meanwhile, from whichever thread."""
    connection.ensure_connection()
    sent: list[str] = []
    connection.connection.set_trace_callback(sent.append)
    try:
        yield sent
    finally:
        connection.connection.set_trace_callback(None)


@skipUnless(connection.vendor == "sqlite", "on PostgreSQL history rows go by COPY")
@mock.patch.object(bulk, "BATCH_ROWS", 7)
@mock.patch.object(bulk, "MIN_RUN", 3)
class HistoryCopiesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = Organisation.objects.create(name="Historikkommun")
        cls.people = [User.objects.create_user(f"person-{n}") for n in range(3)]

    def history(self) -> list[tuple[str, int, str, datetime.datetime, int | None, str | None]]:
        return sorted(
            (v.name, v.version, v.history_type, v.history_date, v.history_user_id,
             v.history_change_reason)
            for v in RiskArea.history.filter(organisation_id=self.organisation.pk)
        )  # fmt: skip

    def test_rows_in_step_get_their_history_from_the_table_not_from_bound_values(self) -> None:
        by = self.people[0].pk
        names = [f"Område {number:02}" for number in range(20)]
        writer = bulk.BulkWriter(reason="import")
        with statements_sent() as sent, transaction.atomic(), writer:
            table = writer.table(RiskArea, ("organisation_id", "name"))
            for name in names:
                table.add((self.organisation.pk, name), at=START, by=by)
            writer.flush()
        assert self.history() == [(name, 1, "+", START, by, "import") for name in names]
        into_history = [s for s in sent if s.startswith(f'INSERT INTO "{HISTORY}"')]
        assert into_history, "no history row was written"
        assert all(" SELECT " in s and " VALUES " not in s for s in into_history), into_history
        assert all(name not in s for s in into_history for name in names)
        history_ids = RiskArea.history.values_list("history_id", flat=True)
        assert len(set(history_ids)) == len(names)

    def test_rows_of_their_own_moment_and_rows_with_versions_keep_theirs(self) -> None:
        # Each row its own moment and user (no run in step), with a row of three versions
        # and a run in step amid them: every kind of history row in the same batches.
        expected = []
        writer = bulk.BulkWriter(reason="import")
        with statements_sent() as sent, transaction.atomic(), writer:
            table = writer.table(RiskArea, ("organisation_id", "name"))
            for number in range(12):
                at = START + datetime.timedelta(minutes=number)
                by = self.people[number % 3].pk
                name = f"Eget {number:02}"
                table.add((self.organisation.pk, name), at=at, by=by)
                expected.append((name, 1, "+", at, by, "import"))
                if number == 5:
                    later = START + datetime.timedelta(days=1)
                    table.add(
                        (self.organisation.pk, "Tre versioner 1"),
                        at=START,
                        by=None,
                        changes=[
                            ((self.organisation.pk, "Tre versioner 2"), later, by),
                            ((self.organisation.pk, "Tre versioner 3"), later, None),
                        ],
                        reasons=["first", "second", None],
                    )
                    expected += [
                        ("Tre versioner 1", 1, "+", START, None, "first"),
                        ("Tre versioner 2", 2, "~", later, by, "second"),
                        ("Tre versioner 3", 3, "~", later, None, None),
                    ]
                if number == 8:
                    for step in range(4):
                        name = f"I takt {step:02}"
                        table.add((self.organisation.pk, name), at=START, by=None)
                        expected.append((name, 1, "+", START, None, "import"))
            writer.flush()
        assert self.history() == sorted(expected)
        stored = RiskArea.objects.filter(organisation=self.organisation)
        assert sorted(stored.values_list("name", "version")) == sorted(
            [
                *((name, 1) for name, *_ in expected if not name.startswith("Tre v")),
                ("Tre versioner 3", 3),
            ]
        )
        into_history = [s for s in sent if s.startswith(f'INSERT INTO "{HISTORY}"')]
        assert any("json_each" in s for s in into_history)
        assert any(" BETWEEN " in s for s in into_history)

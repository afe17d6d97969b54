"""The bulk writer's sending thread: batches sent while the next is built, all in the one
transaction, the first failure raised in the building thread, no thread left behind."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any
from unittest import mock, skipUnless

from django.db import IntegrityError, connection, transaction
from django.test import TestCase
from django.utils import timezone

from internkontroll.generate import bulk
from internkontroll.organisation.models import Organisation, RiskArea


def sending_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "bulk-copy"]


@mock.patch.object(bulk, "BATCH_ROWS", 3)
class SendingThreadTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = Organisation.objects.create(name="Trådkommun")

    def write_areas(self, writer: bulk.BulkWriter, names: list[str]) -> None:
        table = writer.table(RiskArea, ("organisation_id", "name"))
        for name in names:
            table.add((self.organisation.pk, name), at=timezone.now(), by=None)

    def test_batches_sent_along_the_way_are_stored_with_their_history_at_the_flush(self) -> None:
        names = [f"Område {number}" for number in range(10)]
        with transaction.atomic(), bulk.BulkWriter() as writer:
            self.write_areas(writer, names)
            assert writer._sender is not None, "no batch went to the sending thread"
            writer.flush()
            assert writer._sender is None
        stored = RiskArea.objects.filter(organisation=self.organisation)
        assert sorted(stored.values_list("name", flat=True)) == sorted(names)
        history = RiskArea.history.filter(organisation_id=self.organisation.pk)
        assert history.count() == 10
        assert sending_threads() == []

    def test_a_failed_batch_is_raised_at_the_flush_and_the_thread_ends(self) -> None:
        with self.assertRaises(IntegrityError), transaction.atomic(), bulk.BulkWriter() as writer:
            self.write_areas(writer, ["Samma", "Samma", "Annat", "Tredje", "Fjärde"])
            writer.flush()
        assert not RiskArea.objects.exists()
        assert sending_threads() == []

    def test_leaving_with_an_error_stops_the_thread_without_sending_what_waits(self) -> None:
        with self.assertRaises(ValueError), transaction.atomic(), bulk.BulkWriter() as writer:
            self.write_areas(writer, [f"Område {number}" for number in range(7)])
            raise ValueError("the building failed")
        assert not RiskArea.objects.exists()
        assert sending_threads() == []

    @skipUnless(connection.vendor == "sqlite", "psycopg itself lets one thread at a time in")
    def test_a_query_of_the_building_thread_waits_for_the_batches_under_way(self) -> None:
        send = bulk._Sender.send

        def send_slowly(sender: bulk._Sender, work: Callable[[Any], None]) -> None:
            def slow(cursor: Any) -> None:
                time.sleep(0.2)  # still under way when the query comes
                work(cursor)

            send(sender, slow)

        with transaction.atomic(), bulk.BulkWriter() as writer:
            with mock.patch.object(bulk._Sender, "send", send_slowly):
                self.write_areas(writer, ["Ett", "Två", "Tre"])
                assert writer._sender is not None, "no batch went to the sending thread"
                assert RiskArea.objects.filter(organisation=self.organisation).count() == 3
            writer.flush()
        assert sending_threads() == []

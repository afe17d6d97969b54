"""The bulk writer's sending thread on PostgreSQL: batches sent while the next is built, all in
the one transaction, the first failure raised in the building thread, no thread left behind."""

from __future__ import annotations

import threading
from unittest import mock, skipUnless

from django.db import IntegrityError, connection, transaction
from django.test import TestCase
from django.utils import timezone

from internkontroll.generate import bulk
from internkontroll.organisation.models import Organisation, RiskArea


def sending_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "bulk-copy"]


@skipUnless(connection.vendor == "postgresql", "only PostgreSQL's batches go through a thread")
@mock.patch.object(bulk, "COPY_BATCH_ROWS", 3)
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

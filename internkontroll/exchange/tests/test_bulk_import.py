"""New objects are written in bulk: a fixed number of statements whatever the document's size,
one history entry per object, the models' rules kept, all or nothing."""

from __future__ import annotations

import copy
import datetime
import gc
import json
import threading
from typing import Any
from unittest import mock

import time_machine
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from internkontroll.accounts.models import User
from internkontroll.controls.models import ControlActivity
from internkontroll.exchange import parsing
from internkontroll.exchange.creation import ACTION_FIELDS, ACTIVITY_FIELDS, RISK_FIELDS
from internkontroll.exchange.importer import ImportFailed, import_document
from internkontroll.exchange.tests.documents import small_document
from internkontroll.exchange.validation import SCHEMA_PATH
from internkontroll.followups.models import FollowUp
from internkontroll.generate import bulk
from internkontroll.organisation.models import Organisation, Unit
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.models import Action, Risk

NOW = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)


def with_risks(count: int, name: str) -> dict[str, Any]:
    """The small document with `count` copies of its first risk, under another name."""
    document = small_document()
    document["organisation"]["name"] = name
    first = document["plans"][0]["risks"][0]
    document["plans"][0]["risks"] = [
        {**copy.deepcopy(first), "id": f"r-{number}"} for number in range(count)
    ]
    return document


@time_machine.travel(NOW, tick=False)
class BulkImportTests(TestCase):
    def test_more_risks_take_no_more_statements(self) -> None:
        counts = []
        for count, name in ((2, "Liten kommun"), (40, "Stor kommun")):
            with CaptureQueriesContext(connection) as queries:
                import_document(with_risks(count, name))
            counts.append(len(queries))
        assert Risk.objects.filter(plan__unit__organisation__name="Stor kommun").count() == 40
        assert counts[0] == counts[1]

    def test_every_created_object_has_one_history_entry_by_the_importer(self) -> None:
        importer = User.objects.create_user("importer")
        import_document(small_document(), acting_user=importer)
        for model in (Unit, ControlPlan, Risk, Action, ControlActivity, FollowUp):
            rows = model.objects.count()  # type: ignore[attr-defined]
            versions = model.history.all()  # type: ignore[attr-defined]
            assert rows and versions.count() == rows, model
            assert {
                (v.history_type, v.history_user_id, v.history_change_reason, v.history_date)
                for v in versions
            } == {("+", importer.pk, "import", NOW)}, model

    def test_a_control_activitys_periods_are_in_its_history(self) -> None:
        import_document(small_document())
        version = ControlActivity.history.get()
        assert sorted(link.period.code for link in version.periods.all()) == ["T2", "VB"]
        activity = ControlActivity.objects.get()
        assert sorted(period.code for period in activity.periods.all()) == ["T2", "VB"]

    def test_what_the_stored_objects_hold_is_what_the_document_says(self) -> None:
        import_document(small_document())
        risk = Risk.objects.select_related("unit", "area", "process", "goal").get(external_id="r-1")
        assert (risk.unit.external_id, risk.area.name, risk.goal.external_id) == (
            "of-hem",
            "Risker för oegentligheter",
            "2.1",
        )
        assert (risk.probability, risk.consequence, risk.handling, risk.version) == (
            3,
            3,
            ["mitigate", "review"],
            1,
        )
        action = Action.objects.get(external_id="a-1")
        assert (action.status, action.due_date) == ("in_progress", datetime.date(2025, 10, 31))
        follow_up = FollowUp.objects.get(action=action)
        assert (follow_up.period.code, follow_up.on_track) == ("T1", True)

    def test_a_follow_up_in_the_future_is_refused_and_nothing_is_written(self) -> None:
        document = small_document()
        document["plans"][0]["risks"][0]["follow_ups"][0]["date"] = "2026-12-24"
        with self.assertRaises(ImportFailed) as refused:
            import_document(document)
        assert [problem.path for problem in refused.exception.problems] == [
            "plans[0].risks[0].follow_ups[0].date"
        ]
        assert "framtiden" in refused.exception.problems[0].message
        assert not Organisation.objects.exists()

    def test_a_due_date_far_from_the_plans_year_is_refused(self) -> None:
        document = small_document()
        document["plans"][0]["risks"][0]["actions"][0]["due_date"] = "2040-01-01"
        with self.assertRaises(ImportFailed) as refused:
            import_document(document)
        assert [problem.path for problem in refused.exception.problems] == [
            "plans[0].risks[0].actions[0].due_date"
        ]
        assert not Risk.objects.exists()

    def test_a_risk_of_a_unit_outside_the_committee_is_refused(self) -> None:
        document = small_document()
        document["units"].append(
            {"id": "ks-kans", "name": "Kansliet", "kind": "unit", "parent": "ks"}
        )
        document["plans"][0]["risks"][0]["unit"] = "ks-kans"
        with self.assertRaises(ImportFailed) as refused:
            import_document(document)
        (problem,) = refused.exception.problems
        assert (problem.path, "Kansliet" in problem.message) == ("plans[0].risks[0].unit", True)
        assert not Unit.objects.exists()

    def test_a_new_risk_in_a_stored_plan_is_added(self) -> None:
        import_document(small_document())
        document = small_document()
        document["plans"][0]["risks"].append({"id": "r-3", "title": "Ny risk"})
        summary = import_document(document)
        assert summary.created["Risk"] == 1
        assert Risk.objects.filter(external_id="r-3", plan__year=2025).exists()


@time_machine.travel(NOW, tick=False)
@mock.patch.object(bulk, "BATCH_ROWS", 2)
class ImportThroughTheSendingThreadTests(TestCase):
    def test_every_object_is_stored_once_with_one_history_entry(self) -> None:
        summary = import_document(with_risks(6, "Trådkommun"))
        assert summary.created["Risk"] == 6
        for model in (Risk, Action, ControlActivity, FollowUp):
            rows = model.objects.count()  # type: ignore[attr-defined]
            assert rows and model.history.count() == rows, model  # type: ignore[attr-defined]
        links = ControlActivity.history.model.periods.model.objects.count()  # type: ignore[attr-defined]
        assert links == ControlActivity.periods.through.objects.count() == 2 * 6
        assert not [thread for thread in threading.enumerate() if thread.name == "bulk-copy"]

    def test_a_refusal_found_after_batches_were_sent_leaves_nothing_and_no_thread(self) -> None:
        document = with_risks(6, "Trådkommun")
        document["units"].append(
            {"id": "ks-kans", "name": "Kansliet", "kind": "unit", "parent": "ks"}
        )
        document["plans"][0]["risks"][-1]["unit"] = "ks-kans"
        with self.assertRaises(ImportFailed):
            import_document(document)
        assert not Organisation.objects.exists()
        assert not FollowUp.history.exists()
        assert not [thread for thread in threading.enumerate() if thread.name == "bulk-copy"]


class CollectorTests(TestCase):
    def test_the_cycle_collector_runs_again_after_an_import_whether_it_succeeds_or_not(
        self,
    ) -> None:
        with mock.patch.object(gc, "disable", wraps=gc.disable) as disable:
            import_document(small_document())
        assert disable.called and gc.isenabled()
        with self.assertRaises(ImportFailed):
            import_document({"format": "internkontroll/1"})  # refused by the schema
        assert gc.isenabled()
        document = small_document()
        document["plans"][0]["risks"][0]["actions"][0]["due_date"] = "2040-01-01"
        with self.assertRaises(ImportFailed):
            import_document(document)  # refused while writing
        assert gc.isenabled()


class FastParseTests(TestCase):
    def test_the_fast_and_the_thorough_parse_agree(self) -> None:
        text = json.dumps(small_document(), ensure_ascii=False)
        assert parsing._parse_plain(text) == small_document()
        assert parsing._parse_plain(text) is not parsing._UNSURE

    def test_what_needs_a_closer_look_gets_one(self) -> None:
        text = json.dumps(small_document(), ensure_ascii=False)
        for changed in (
            text.replace('"Provkommun"', '"Prov\\u0001kommun"'),
            text.replace('"year": 2025', '"year": 2025, "year": 2025', 1),
            text.replace('"year": 2025', '"year": NaN', 1),
            text.replace('"year": 2025', '"year": ' + "9" * 40, 1),
            text.replace('"Provkommun"', '"Prov\\ud800kommun"'),
            text[:-1],
        ):
            assert parsing._parse_plain(changed) is parsing._UNSURE
            with self.assertRaises(parsing.MalformedDocument):
                parsing.parse_text(changed)

    def test_a_surrogate_written_as_utf8_bytes_is_refused_before_parsing(self) -> None:
        text = json.dumps(small_document(), ensure_ascii=False)
        raw = text.replace("Provkommun", "Prov\ud800kommun").encode("utf-8", "surrogatepass")
        with self.assertRaises(parsing.MalformedDocument) as refused:
            parsing.decode(raw)
        assert "UTF-8" in refused.exception.problems[0].message

    def test_a_surrogate_in_text_not_decoded_here_gets_the_closer_look(self) -> None:
        text = json.dumps(small_document(), ensure_ascii=False)
        changed = text.replace("Provkommun", "Prov\ud800kommun")
        assert parsing._parse_plain(changed) is parsing._UNSURE
        with self.assertRaises(parsing.MalformedDocument):
            parsing.parse_text(changed)


class SchemaLengthTests(TestCase):
    def test_the_schema_holds_every_text_to_the_length_its_column_takes(self) -> None:
        """Bulk rows skip the models' field checks: the schema's lengths must be theirs."""
        definitions = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["$defs"]
        keys = {"external_id": "id"}
        for model, fields, kind in (
            (Risk, RISK_FIELDS, "risk"),
            (Action, ACTION_FIELDS, "action"),
            (ControlActivity, ACTIVITY_FIELDS, "control_activity"),
        ):
            properties = definitions[kind]["properties"]
            for name in fields:
                field = next(f for f in model._meta.concrete_fields if f.attname == name)
                length = getattr(field, "max_length", None)
                if length is None or field.is_relation:
                    continue
                schema = properties[keys.get(name, name)]
                if "$ref" in schema:
                    schema = {**definitions[schema["$ref"].rsplit("/", 1)[1]], **schema}
                if "enum" in schema:
                    assert max(len(code) for code in schema["enum"]) <= length, (model, name)
                else:
                    assert schema.get("maxLength", length + 1) <= length, (model, name)

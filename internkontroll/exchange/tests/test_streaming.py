"""A document imported from a file is read part by part: its plans one at a time, in memory that
does not grow with them; still all or nothing, validated, refused with the same problems."""

from __future__ import annotations

import copy
import datetime
import json
import tempfile
import tracemalloc
from pathlib import Path
from typing import Any
from unittest import mock

import time_machine
from django.test import TestCase
from simple_history.models import registered_models

from internkontroll.accounts.models import User
from internkontroll.exchange import importer, streaming
from internkontroll.exchange.exporter import export_document
from internkontroll.exchange.importer import (
    ImportFailed,
    import_document,
    parse_document,
    read_document,
)
from internkontroll.exchange.tests.documents import small_document
from internkontroll.exchange.validation import validate_document
from internkontroll.generate import bulk
from internkontroll.organisation.models import Organisation
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.models import Action, Risk

NOW = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
FIRST_YEAR = 2016


def ten_years(plans: int, risks: int, name: str = "Strömkommun") -> dict[str, Any]:
    """The small document's organisation with `plans` yearly plans of its committee, each with
    `risks` risks carried over from the year before (their actions too)."""
    document = small_document()
    document["organisation"]["name"] = name
    template = document["plans"][0]["risks"][0]
    template.pop("goal")
    document["plans"] = []
    for number in range(plans):
        year = FIRST_YEAR + number
        plan_risks = []
        for index in range(risks):
            risk = copy.deepcopy(template)
            risk["id"] = f"r-{index}"
            risk["description"] = f"Risk {index} år {year}. " + "Beskrivning av risken. " * 20
            for action in risk["actions"]:
                action.pop("due_date", None)
                for follow_up in action.get("follow_ups", []):
                    follow_up["date"] = f"{year}-05-05"
                if number:
                    action["previous"] = action["id"]
            for activity in risk["control_activities"]:
                for follow_up in activity["follow_ups"]:
                    follow_up["date"] = f"{year}-09-10"
            for follow_up in risk["follow_ups"]:
                follow_up["date"] = f"{year}-09-10"
            if number:
                risk["previous"] = risk["id"]
            plan_risks.append(risk)
        document["plans"].append(
            {"unit": "on", "year": year, "adopted_on": f"{year - 1}-12-10", "risks": plan_risks}
        )
    del document["goals"]
    return document


def reordered(document: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    return {key: document[key] for key in keys if key in document}


class StreamingTestCase(TestCase):
    def setUp(self) -> None:
        self.directory = Path(self.enterContext(tempfile.TemporaryDirectory()))
        # Whether a document was read whole (the way every document was read before).
        self.whole = self.enterContext(
            mock.patch.object(importer, "read_whole_document", wraps=importer.read_whole_document)
        )

    def write(self, document: Any, name: str = "document.json") -> Path:
        path = self.directory / name
        text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
        path.write_text(text, encoding="utf-8")
        return path

    def import_file(self, document: Any, name: str = "document.json") -> importer.ImportSummary:
        path = self.write(document, name)
        return import_document(read_document(path))

    def problems_of_whole(self, document: dict[str, Any]) -> list[str]:
        """The problems of the document imported whole (as every document was before)."""
        with self.assertRaises(ImportFailed) as failure:
            import_document(copy.deepcopy(document))
        return [str(problem) for problem in failure.exception.problems]

    def problems_of_file(self, document: Any) -> list[str]:
        with self.assertRaises(ImportFailed) as failure:
            self.import_file(document)
        return [str(problem) for problem in failure.exception.problems]


@time_machine.travel(NOW, tick=False)
class MemoryTests(StreamingTestCase):
    def peak(self, plans: int) -> int:
        """Python's peak allocation while a document of `plans` plans is imported from a file."""
        path = self.write(ten_years(plans, 60, name=f"Kommun med {plans} planer"))
        tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            start = tracemalloc.get_traced_memory()[0]
            import_document(read_document(path, max_bytes=path.stat().st_size))
            return tracemalloc.get_traced_memory()[1] - start
        finally:
            tracemalloc.stop()

    def test_four_times_the_plans_take_far_less_than_four_times_the_memory(self) -> None:
        # A buffer, and batches of rows waiting to be sent, smaller than the documents, as a
        # large document's are to the default ones.
        with (
            mock.patch.object(streaming, "CHUNK_BYTES", 32 * 1024),
            mock.patch.object(bulk, "BATCH_ROWS", 100),
        ):
            self.peak(1)  # what is made once (compiled validators, translations) is made
            two, eight = self.peak(2), self.peak(8)
        assert Risk.objects.filter(plan__unit__organisation__name="Kommun med 8 planer").count()
        assert eight < 2 * two, (two, eight)
        self.whole.assert_not_called()


@time_machine.travel(NOW, tick=False)
class StreamedImportTests(StreamingTestCase):
    def test_a_document_read_in_parts_imports_as_the_whole_one_does(self) -> None:
        document = ten_years(3, 4)
        with mock.patch.object(
            importer, "_import_parts", wraps=importer._import_parts
        ) as import_parts:
            summary = self.import_file(document)
        # Laid out as exported: read in one pass.
        assert [call.kwargs for call in import_parts.call_args_list] == [{"one_pass": True}]
        self.whole.assert_not_called()
        assert summary.created["Risk"] == 12
        assert summary.created["ControlPlan"] == 3
        organisation = Organisation.objects.get(name="Strömkommun")
        assert export_document(organisation) == document
        last = Risk.objects.get(plan__year=FIRST_YEAR + 2, external_id="r-3")
        assert last.previous is not None
        assert last.previous.plan.year == FIRST_YEAR + 1
        action = Action.objects.get(risk=last, external_id="a-1")
        assert action.previous is not None
        assert action.previous.risk_id == last.previous_id

    def test_every_created_object_has_one_history_entry(self) -> None:
        summary = self.import_file(ten_years(3, 4))
        entries = sum(
            model.history.count()
            for model in registered_models.values()
            if hasattr(model, "history")
        )
        assert entries == summary.created.total() + summary.updated.total()

    def test_plans_before_the_units_and_the_organisation(self) -> None:
        document = ten_years(3, 2)
        keys = ["plans", "units", "format", "goals", "audit_reports", "organisation"]
        self.import_file(reordered(document, keys))
        self.whole.assert_not_called()
        assert export_document(Organisation.objects.get(name="Strömkommun")) == document

    def test_a_committees_plans_in_any_order_of_years(self) -> None:
        document = ten_years(3, 2)
        shuffled = {**document, "plans": [document["plans"][i] for i in (2, 0, 1)]}
        self.import_file(shuffled)
        self.whole.assert_not_called()
        latest = Risk.objects.get(plan__year=FIRST_YEAR + 2, external_id="r-1")
        previous = latest.previous
        assert previous is not None
        assert previous.plan.year == FIRST_YEAR + 1
        assert previous.previous is not None
        assert previous.previous.plan.year == FIRST_YEAR
        # The plans themselves are made in the document's order.
        years = list(ControlPlan.objects.order_by("pk").values_list("year", flat=True))
        assert years == [FIRST_YEAR + 2, FIRST_YEAR, FIRST_YEAR + 1]

    def test_a_backup_with_its_people_last(self) -> None:
        anna = User.objects.create_user("anna", first_name="Anna", last_name="Andersson")
        import_document(ten_years(2, 2), acting_user=anna)
        organisation = Organisation.objects.get()
        User.objects.filter(pk=anna.pk).update(organisation=organisation)
        backup = export_document(organisation, history=True)
        assert list(backup)[-1] == "people"
        with mock.patch.object(
            importer, "_import_parts", wraps=importer._import_parts
        ) as import_parts:
            summary = self.import_file(backup)
        # Seen at the end of the file, the people make it two passes from the start.
        assert [call.kwargs for call in import_parts.call_args_list] == [{"one_pass": False}]
        self.whole.assert_not_called()
        assert summary.created.total() == 0
        assert summary.unchanged["Risk"] == 4

    def test_a_small_text_is_still_parsed_whole(self) -> None:
        document = parse_document(json.dumps(small_document()))
        assert import_document(document).created["Risk"] == 2


@time_machine.travel(NOW, tick=False)
class AllOrNothingTests(StreamingTestCase):
    def assert_nothing_written(self) -> None:
        assert not Organisation.objects.exists()
        assert not ControlPlan.objects.exists()
        assert not Risk.objects.exists()

    def test_a_problem_in_the_last_plan_leaves_nothing_written(self) -> None:
        document = ten_years(4, 3)
        document["plans"][-1]["risks"][-1]["probability"] = 9
        original = importer._Importer.plan_contents
        with mock.patch.object(
            importer._Importer, "plan_contents", autospec=True, side_effect=original
        ) as plan_contents:
            problems = self.problems_of_file(document)
        # The plans before it were written, then taken back.
        assert plan_contents.call_count >= 3
        self.assert_nothing_written()
        assert problems == self.problems_of_whole(document)
        assert problems == [
            "plans[3].risks[2].probability: Sannolikheten 9 ligger utanför riskmatrisens skala 1–4."
        ]

    def test_a_database_problem_in_the_last_plan_leaves_nothing_written(self) -> None:
        document = ten_years(4, 3)
        document["plans"][-1]["risks"][-1]["unit"] = "ks"
        problems = self.problems_of_file(document)
        self.assert_nothing_written()
        self.whole.assert_not_called()
        assert len(problems) == 1
        assert problems[0].startswith("plans[3].risks[2].unit: ")
        assert problems == self.problems_of_whole(document)

    def test_a_validation_problem_after_a_database_problem_comes_first(self) -> None:
        document = ten_years(4, 3)
        document["plans"][0]["risks"][0]["unit"] = "ks"
        document["plans"][-1]["risks"][-1]["probability"] = 9
        problems = self.problems_of_file(document)
        self.assert_nothing_written()
        assert problems == self.problems_of_whole(document)
        assert problems == [str(problem) for problem in validate_document(document)]

    def test_a_problem_in_a_part_after_the_plans_leaves_nothing_written(self) -> None:
        document = ten_years(3, 2)
        document["audit_reports"][0]["unit"] = "saknas"
        problems = self.problems_of_file(document)
        self.assert_nothing_written()
        assert problems == self.problems_of_whole(document)
        assert len(problems) == 1


@time_machine.travel(NOW, tick=False)
class MalformedPlanTests(StreamingTestCase):
    """What the parser refuses in a plan deep in the file is refused as in a whole document."""

    def assert_refused_as_whole(self, text: str) -> None:
        with self.assertRaises(ImportFailed) as whole:
            parse_document(text)
        with mock.patch.object(streaming, "CHUNK_BYTES", 1024):
            problems = self.problems_of_file(text)
        assert problems == [str(problem) for problem in whole.exception.problems]
        assert not Organisation.objects.exists()

    def last_risk_text(self, replace: str, by: str) -> str:
        document = ten_years(4, 3)
        document["plans"][-1]["risks"][-1]["title"] = "SISTA"
        text = json.dumps(document, ensure_ascii=False, indent=1)
        assert text.count('"SISTA"') == 1
        return text.replace(replace, by)

    def test_a_repeated_key(self) -> None:
        self.assert_refused_as_whole(
            self.last_risk_text('"title": "SISTA"', '"id": "x", "id": "y"')
        )

    def test_nan(self) -> None:
        self.assert_refused_as_whole(self.last_risk_text('"SISTA"', "NaN"))

    def test_a_huge_number(self) -> None:
        self.assert_refused_as_whole(self.last_risk_text('"SISTA"', "1" * 40))

    def test_an_escaped_control_character(self) -> None:
        self.assert_refused_as_whole(self.last_risk_text('"SISTA"', '"SI\\u0001STA"'))

    def test_a_lone_surrogate(self) -> None:
        self.assert_refused_as_whole(self.last_risk_text('"SISTA"', '"SI\\ud800STA"'))

    def test_a_missing_comma(self) -> None:
        self.assert_refused_as_whole(self.last_risk_text('"SISTA",', '"SISTA"'))

    def test_deep_nesting(self) -> None:
        self.assert_refused_as_whole(self.last_risk_text('"SISTA"', "[" * 200 + "]" * 200))

    def test_more_after_the_document(self) -> None:
        self.assert_refused_as_whole(self.last_risk_text("", "") + " {}")

    def test_a_truncated_document(self) -> None:
        text = self.last_risk_text("", "")
        self.assert_refused_as_whole(text[: len(text) - 40])

    def test_not_utf8_near_the_end(self) -> None:
        path = self.write("")
        raw = self.last_risk_text('"SISTA"', '"SI\x00STA"').encode().replace(b"\x00", b"\xff")
        path.write_bytes(raw)
        with self.assertRaises(ImportFailed) as whole:
            importer.read_whole_document(path)
        with (
            mock.patch.object(streaming, "CHUNK_BYTES", 1024),
            self.assertRaises(ImportFailed) as failure,
        ):
            import_document(read_document(path))
        assert failure.exception.problems == whole.exception.problems
        assert str(raw.index(b"\xff")) in str(failure.exception.problems[0])

    def test_byte_order_marks(self) -> None:
        document = ten_years(2, 2)
        path = self.write("")
        path.write_bytes(b"\xef\xbb\xbf" + json.dumps(document).encode())
        import_document(read_document(path))
        self.whole.assert_not_called()
        assert Risk.objects.count() == 4

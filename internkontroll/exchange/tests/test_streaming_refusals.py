"""A document with problems, imported from a file, is refused part by part: with exactly the
problems `validate_document` gives for the whole document, without reading the file whole, in
memory that does not grow with its plans, and with nothing written."""

from __future__ import annotations

import copy
import inspect
import json
import tracemalloc
from collections.abc import Callable
from typing import Any
from unittest import mock

import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.controls.models import ControlActivity
from internkontroll.exchange import streaming
from internkontroll.exchange.importer import ImportFailed, import_document, read_document
from internkontroll.exchange.tests import test_validation
from internkontroll.exchange.tests.documents import small_document
from internkontroll.exchange.tests.test_streaming import (
    FIRST_YEAR,
    NOW,
    StreamingTestCase,
    reordered,
    ten_years,
)
from internkontroll.exchange.validation import MAX_PROBLEMS, Problem, validate_document
from internkontroll.followups.models import FollowUp
from internkontroll.generate import bulk
from internkontroll.organisation.models import Goal, Organisation, Unit
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.models import Action, Risk

Document = dict[str, Any]
MODELS = (
    Organisation,
    Unit,
    Goal,
    ControlPlan,
    Risk,
    Action,
    ControlActivity,
    FollowUp,
    AuditReport,
    Recommendation,
)


def rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def validation_test_documents() -> list[Document]:
    """The documents test_validation.py's tests find problems in (objects at the top only);
    of a test that makes hundreds (one value replaced anywhere), every fifth."""
    found: dict[str, Document] = {}
    for name, test in inspect.getmembers(test_validation, inspect.isfunction):
        if not name.startswith("test_"):
            continue
        made: list[Document] = []

        def recording(document: object, made: list[Document] = made) -> list[Problem]:
            problems = validate_document(document)
            if problems and isinstance(document, dict):
                made.append(copy.deepcopy(document))
            return problems

        with mock.patch.object(test_validation, "validate_document", recording):
            for arguments in _parametrized(test):
                test(**arguments)
        for document in made[:: 5 if len(made) > 100 else 1]:
            found.setdefault(json.dumps(document, sort_keys=True), document)
    return list(found.values())


def _parametrized(test: Callable[..., Any]) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = [{}]
    for mark in getattr(test, "pytestmark", []):
        if mark.name == "parametrize":
            argnames = mark.args[0]
            names = argnames.split(",") if isinstance(argnames, str) else list(argnames)
            values = [value if len(names) > 1 else (value,) for value in mark.args[1]]
            calls = [
                {**call, **dict(zip([name.strip() for name in names], value, strict=True))}
                for call in calls
                for value in values
            ]
    return calls


def several_years(plans: int, risks: int) -> Document:
    """`ten_years` with an audit report after the plans, as exported."""
    document = ten_years(plans, risks)
    document["audit_reports"] = small_document()["audit_reports"]
    return document


class RefusalTestCase(StreamingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.whole.side_effect = AssertionError("the document was read whole")

    def assert_refused_in_parts(self, document: Document | str) -> list[Problem]:
        """Import the document from a file: it must be refused with the problems of the whole
        document, read in parts, with nothing written."""
        text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
        path = self.write(text)
        before = rows()
        with (
            mock.patch.object(streaming, "CHUNK_BYTES", 1024),
            self.assertRaises(ImportFailed) as failure,
        ):
            import_document(read_document(path))
        expected = validate_document(json.loads(text))
        assert expected, "the document has no problem"
        assert len(failure.exception.problems) == len(expected)
        for problem, whole in zip(failure.exception.problems, expected, strict=True):
            assert problem == whole
        assert rows() == before, "the database changed"
        self.whole.assert_not_called()
        return expected


@time_machine.travel(NOW, tick=False)
class SameProblemsTests(RefusalTestCase):
    def test_the_validation_tests_documents(self) -> None:
        documents = validation_test_documents()
        assert len(documents) > 100
        for number, document in enumerate(documents):
            with self.subTest(document=number):
                self.assert_refused_in_parts(document)

    def test_the_import_commands_documents(self) -> None:
        edits: list[Callable[[Document], Any]] = [
            lambda d: d.update(format="internkontroll/2"),
            lambda d: d.pop("format"),
            lambda d: d["plans"][0]["risks"][0].update(colour="röd"),
            lambda d: d["plans"][0]["risks"][0].update(probability=7),
            lambda d: d["plans"][0]["risks"][0]["actions"][0]["follow_ups"][0].update(period="Q3"),
            lambda d: d["plans"][0]["risks"][0]["actions"][1].update(id="a-1"),
            lambda d: d["units"][3].update(parent="saknas"),
            lambda d: d["units"][1].update(parent="of-hem"),
            lambda d: (
                d["plans"][0]["risks"][0].update(probability=9),
                d["units"][3].update(parent="saknas"),
                d["plans"][0]["risks"][0]["actions"][0].update(status="klar"),
            ),
        ]
        for number, edit in enumerate(edits):
            document = small_document()
            edit(document)
            with self.subTest(edit=number):
                self.assert_refused_in_parts(document)

    def test_a_wrong_value_in_the_last_plan(self) -> None:
        document = several_years(4, 3)
        document["plans"][-1]["risks"][-1]["probability"] = 9
        assert [str(p) for p in self.assert_refused_in_parts(document)] == [
            "plans[3].risks[2].probability: Sannolikheten 9 ligger utanför riskmatrisens skala 1–4."
        ]

    def test_problems_over_several_plans_beyond_the_listed_ones(self) -> None:
        document = several_years(5, 30)
        for plan in document["plans"][1:]:
            for risk in plan["risks"]:
                risk["probability"] = 9
                risk["actions"][0]["status"] = "klar"
        problems = self.assert_refused_in_parts(document)
        assert len(problems) == MAX_PROBLEMS + 1
        assert problems[-1].message.startswith("Ytterligare 140 fel")

    def test_more_problems_than_are_counted(self) -> None:
        document = several_years(4, 150)
        document["units"][0]["kind"] = "nämnd"
        document["audit_reports"][0]["date"] = "igår"
        for plan in document["plans"]:
            for risk in plan["risks"]:
                risk.update(title=1, description=2)  # schema errors
                risk.update(unit="saknas", goal="saknas")  # semantic ones
        problems = self.assert_refused_in_parts(document)
        assert problems[-1].message.startswith("Minst ")

    def test_just_as_many_schema_errors_as_are_counted_or_one_more(self) -> None:
        # One error before the plans, one after them, and the plans' between.
        for in_the_plans in range(997, 1001):
            document = several_years(4, 65)
            document["units"][0]["kind"] = "nämnd"
            document["audit_reports"][0]["date"] = "igår"
            places = [
                (risk, key)
                for plan in document["plans"]
                for risk in plan["risks"]
                for key in ("title", "description", "planned_handling", "existing_controls")
            ]
            for risk, key in places[:in_the_plans]:
                risk[key] = 1
            with self.subTest(in_the_plans=in_the_plans):
                self.assert_refused_in_parts(document)

    def test_problems_in_the_audit_reports_after_the_plans(self) -> None:
        document = several_years(3, 2)
        assert list(document)[-1] == "audit_reports"
        document["audit_reports"][0]["unit"] = "saknas"
        document["audit_reports"][0]["recommendations"][0]["status"] = "klar"
        document["plans"][1]["risks"][0]["goal"] = "saknas"
        self.assert_refused_in_parts(document)

    def test_problems_in_parts_before_and_after_the_plans(self) -> None:
        document = several_years(3, 2)
        document["units"][3]["parent"] = "saknas"
        document["organisation"]["periods"] = [{"code": "T1", "name": "", "ends": "02-30"}]
        document["plans"][0]["risks"][0]["follow_ups"][0]["period"] = "T2"
        keys = ["plans", "units", "format", "audit_reports", "organisation"]
        self.assert_refused_in_parts(reordered(document, keys))
        self.assert_refused_in_parts(document)

    def test_a_rollover_problem(self) -> None:
        document = several_years(3, 2)
        document["plans"][2]["rollover"] = [
            {"risk": "r-9", "decision": "carry", "target": "r-0"},
            {"risk": "r-1", "decision": "close", "reason": "Klar."},
        ]
        document["plans"][2]["risks"][0]["previous"] = "r-8"
        document["plans"][2]["risks"][1]["actions"][0]["previous"] = "a-9"
        self.assert_refused_in_parts(document)
        # Last year's plan after this year's: its outline is kept from the first pass.
        self.assert_refused_in_parts({**document, "plans": document["plans"][::-1]})

    def test_an_unknown_unit(self) -> None:
        document = several_years(3, 2)
        document["plans"][1]["unit"] = "saknas"
        document["plans"][2]["risks"][1]["unit"] = "saknas"
        document["goals"] = [{"id": "m", "unit": "saknas", "title": "Mål"}]
        self.assert_refused_in_parts(document)

    def test_plans_in_unusual_order(self) -> None:
        document = several_years(4, 2)
        for plan in document["plans"]:
            plan["risks"][0]["probability"] = 8
        document["plans"][1]["rollover"] = [{"risk": "r-7", "decision": "close", "reason": "."}]
        shuffled = [document["plans"][i] for i in (2, 0, 3, 1)]
        keys = ["audit_reports", "plans", "units", "format", "organisation"]
        self.assert_refused_in_parts(reordered({**document, "plans": shuffled}, keys))

    def test_a_wrong_plan_when_the_units_follow_the_plans(self) -> None:
        # Read in two passes, whose second writes the plans before their contents: they are
        # validated first (adopted_on was written, and crashed the import).
        document = several_years(3, 2)
        document["plans"][1]["adopted_on"] = True
        keys = ["format", "organisation", "plans", "units", "audit_reports"]
        self.assert_refused_in_parts(reordered(document, keys))

    def test_two_plans_for_the_same_year(self) -> None:
        document = several_years(3, 2)
        document["plans"][2]["year"] = FIRST_YEAR + 1
        document["plans"][2]["rollover"] = [{"risk": "r-7", "decision": "close", "reason": "."}]
        document["plans"].append(copy.deepcopy(document["plans"][0]))
        self.assert_refused_in_parts(document)

    def test_plans_that_name_no_committee_or_year_or_are_no_objects(self) -> None:
        document = several_years(3, 2)
        del document["plans"][0]["year"]
        document["plans"][1]["unit"] = 5
        document["plans"].append("plan")
        self.assert_refused_in_parts(document)
        self.assert_refused_in_parts({**document, "plans": {"unit": "on"}})

    def test_no_organisation_and_a_wrong_format(self) -> None:
        document = several_years(2, 2)
        del document["organisation"]
        document["format"] = "internkontroll/0"
        document["plans"][1]["risks"][0]["probability"] = 9
        self.assert_refused_in_parts(document)

    def test_a_value_nested_as_deep_as_the_parser_allows(self) -> None:
        # The top-level object, plans, a plan, risks and a risk: five levels around a title.
        document = several_years(2, 2)
        document["plans"][1]["risks"][0]["title"] = json.loads("[" * 59 + "]" * 59)
        self.assert_refused_in_parts(document)

    def test_a_value_nested_deeper_is_still_refused_as_the_text_it_is(self) -> None:
        document = several_years(2, 2)
        document["plans"][1]["risks"][0]["title"] = json.loads("[" * 60 + "]" * 60)
        self.whole.side_effect = None
        problems = self.problems_of_file(document)
        self.whole.assert_called_once()
        assert len(problems) == 1
        assert "mer än 64 nivåer" in problems[0]


@time_machine.travel(NOW, tick=False)
class MutatedDocumentTests(HypothesisTestCase, RefusalTestCase):
    """Any value of an exported document replaced by another: refused alike."""

    exported = several_years(3, 2)
    exported["plans"][1]["rollover"] = [{"risk": "r-1", "decision": "carry", "target": "r-1"}]
    places = test_validation._all_paths(exported)

    @settings(
        max_examples=40,
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(
        changes=st.lists(
            st.tuples(
                st.sampled_from(places),
                st.sampled_from([None, True, 0, 9, 2.5, "", "x", "2025-02-30", [], [None], {}]),
            ),
            min_size=1,
            max_size=4,
        ),
        order=st.permutations(list(exported)),
        plans=st.permutations(range(3)),
    )
    def test_a_changed_document(
        self, changes: list[tuple[tuple[str | int, ...], object]], order: list[str], plans: Any
    ) -> None:
        document = copy.deepcopy(self.exported)
        for path, value in changes:
            try:
                test_validation._replace(document, path, value)
            except (KeyError, IndexError, TypeError):
                continue  # an earlier change took the place away
        if isinstance(document["plans"], list) and len(document["plans"]) == 3:
            document["plans"] = [document["plans"][index] for index in plans]
        document = reordered(document, order)
        if validate_document(document):
            self.assert_refused_in_parts(document)


@time_machine.travel(NOW, tick=False)
class NothingWrittenTests(RefusalTestCase):
    def test_a_refused_update_leaves_the_stored_document_as_it_was(self) -> None:
        import_document(several_years(3, 2))
        before = rows()
        assert before["Risk"] == 6
        document = several_years(4, 3)
        document["plans"][-1]["risks"][-1]["probability"] = 9
        self.assert_refused_in_parts(document)
        assert rows() == before

    def test_a_refused_document_with_a_database_problem_too(self) -> None:
        document = several_years(4, 3)
        document["plans"][0]["risks"][0]["unit"] = "ks"  # only the database refuses it
        document["audit_reports"][0]["unit"] = "saknas"
        assert rows()["Organisation"] == 0
        self.assert_refused_in_parts(document)


@time_machine.travel(NOW, tick=False)
class RefusalMemoryTests(RefusalTestCase):
    def peak(self, plans: int, wrong_plan: int, risks: int = 60) -> int:
        """Python's peak allocation while a document of `plans` plans, one of them wrong, is
        refused."""
        document = ten_years(plans, risks, name=f"Kommun med {plans} planer")
        document["plans"][wrong_plan]["risks"][-1]["probability"] = 9
        path = self.write(document)
        tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            start = tracemalloc.get_traced_memory()[0]
            with self.assertRaises(ImportFailed):
                import_document(read_document(path, max_bytes=path.stat().st_size))
            return tracemalloc.get_traced_memory()[1] - start
        finally:
            tracemalloc.stop()

    def peaks(self, wrong_plan: int, plans: tuple[int, int], risks: int) -> tuple[int, int]:
        # A buffer, the end of the file looked at, and batches of rows waiting to be sent
        # smaller than the documents, as a large document's are to the default ones.
        with (
            mock.patch.object(streaming, "CHUNK_BYTES", 32 * 1024),
            mock.patch.object(streaming, "TAIL_BYTES", 32 * 1024),
            mock.patch.object(bulk, "BATCH_ROWS", 100),
        ):
            self.peak(1, 0)  # what is made once (compiled validators, translations) is made
            fewer, more = plans
            return self.peak(fewer, wrong_plan, risks), self.peak(more, wrong_plan, risks)

    def test_a_problem_in_the_first_plan_takes_the_same_memory_for_more_plans(self) -> None:
        # Read whole, 64 plans (2.4 MB) took four times the memory of 16.
        sixteen, sixty_four = self.peaks(wrong_plan=0, plans=(16, 64), risks=20)
        assert sixty_four < sixteen * 1.15, (sixteen, sixty_four)

    def test_a_problem_in_the_last_plan_takes_far_less_than_four_times_the_memory(self) -> None:
        # Before the problem is found the plans are written, as a valid document's are.
        two, eight = self.peaks(wrong_plan=-1, plans=(2, 8), risks=60)
        assert eight < 2 * two, (two, eight)

"""Every Excel report built from text written to attack the reader: shown as text, never run."""

from __future__ import annotations

import datetime
import io
import json
from importlib.resources import files
from itertools import cycle
from typing import Any

import openpyxl
from django.test import TestCase
from openpyxl import Workbook

from internkontroll.exchange.importer import import_document
from internkontroll.lib.spreadsheet import FORMULA_TRIGGERS, append_row, safe_cell
from internkontroll.plans.models import ControlPlan
from internkontroll.reports.kinds import KINDS
from internkontroll.reports.requests import make

HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\t=1", "\r=1"]


def text_fields() -> set[str]:
    """The properties the exchange schema declares as free text."""
    schema = json.loads(files("internkontroll.exchange").joinpath("schema.json").read_text())
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for name, value in node.get("properties", {}).items():
                if isinstance(value, dict) and value.get("$ref") == "#/$defs/text":
                    found.add(name)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return found


def poisoned(document: Any) -> Any:
    """The document with every free text a hostile string, the same text the same string.

    References by name (risk levels in the matrix) follow the names they point at.
    """
    fields = text_fields()
    numbered = (f"{text} {number}" for number, text in enumerate(cycle(HOSTILE)))
    replacements: dict[str, str] = {}

    def collect(node: Any) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for name, value in items:
            if name in fields and isinstance(value, str) and value:
                replacements.setdefault(value, next(numbered))
            elif isinstance(value, dict | list):
                collect(value)

    def replace(node: Any) -> Any:
        if isinstance(node, dict):
            return {name: replace(value) for name, value in node.items()}
        if isinstance(node, list):
            return [replace(value) for value in node]
        return replacements.get(node, node) if isinstance(node, str) else node

    collect(document)
    return replace(document)


def cells(content: bytes) -> list[Any]:
    book = openpyxl.load_workbook(io.BytesIO(content), data_only=False)
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


class HostileWorkbookTests(TestCase):
    """The demo municipality with every free text a formula, in every kind of report."""

    @classmethod
    def setUpTestData(cls) -> None:
        demo = json.loads(files("internkontroll.exchange").joinpath("data/demo.json").read_text())
        import_document(poisoned(demo))
        plan = ControlPlan.objects.get(unit__external_id="sn", year=2025)
        cls.workbooks = {
            kind: cells(
                make(
                    kind, plan, fmt="xlsx", period_code="T2" if spec.takes_period else None
                ).content
            )
            for kind, spec in KINDS.items()
        }

    def test_no_cell_in_any_report_is_a_formula(self) -> None:
        for kind, book in self.workbooks.items():
            formulas = [cell.coordinate for cell in book if cell.data_type == "f"]
            assert formulas == [], kind

    def test_no_text_starts_with_a_formula_trigger(self) -> None:
        for kind, book in self.workbooks.items():
            texts = [cell.value for cell in book if isinstance(cell.value, str)]
            assert texts, kind
            assert [text for text in texts if text.startswith(FORMULA_TRIGGERS)] == [], kind

    def test_the_hostile_text_is_still_there_to_read_behind_a_quote(self) -> None:
        texts = [cell.value for cell in self.workbooks["follow-up"] if isinstance(cell.value, str)]
        for hostile in HOSTILE:
            # A carriage return may come back from the file as a line break.
            quoted = ("'" + hostile, "'" + hostile.replace("\r", "\n"))
            assert any(text.startswith(quoted) for text in texts), hostile

    def test_every_report_carries_the_hostile_text(self) -> None:
        for kind, book in self.workbooks.items():
            quoted = [
                cell for cell in book if isinstance(cell.value, str) and cell.value[:1] == "'"
            ]
            assert quoted, kind

    def test_numbers_and_dates_the_report_computes_stay_numbers_and_dates(self) -> None:
        book = self.workbooks["follow-up"]
        assert any(isinstance(cell.value, datetime.datetime) for cell in book)
        assert any(isinstance(cell.value, int) for cell in book)


class SafeCellTests(TestCase):
    def setUp(self) -> None:
        self.sheet = Workbook().active

    def written(self, *values: Any) -> list[Any]:
        append_row(self.sheet, values)
        buffer = io.BytesIO()
        self.sheet.parent.save(buffer)
        book = openpyxl.load_workbook(buffer, data_only=False)
        return [(cell.value, cell.data_type) for cell in book.active[1]]

    def test_formulas_become_quoted_text(self) -> None:
        assert self.written("=1+1", "@SUM(A1)", "-2") == [
            ("'=1+1", "s"),
            ("'@SUM(A1)", "s"),
            ("'-2", "s"),
        ]

    def test_ordinary_text_numbers_and_dates_are_kept_as_they_are(self) -> None:
        day = datetime.date(2025, 9, 15)
        written = self.written("Se protokoll", 3, day, "1-2 gånger")
        assert written[0] == ("Se protokoll", "s")
        assert written[1] == (3, "n")
        assert written[2][0] == datetime.datetime(2025, 9, 15)
        assert written[3] == ("1-2 gånger", "s")

    def test_text_that_looks_like_an_error_code_stays_text(self) -> None:
        assert self.written("#N/A") == [("#N/A", "s")]

    def test_control_characters_are_dropped_instead_of_breaking_the_workbook(self) -> None:
        assert self.written("Före\x00\x07efter") == [("Föreefter", "s")]
        assert safe_cell("\x01=1") == "'=1"

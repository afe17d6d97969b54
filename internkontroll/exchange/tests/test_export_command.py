import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from internkontroll.exchange.importer import import_document
from internkontroll.exchange.tests.documents import small_document
from internkontroll.exchange.validation import validate_document


def two_committee_document() -> dict:
    document = small_document()
    document["units"].append(
        {"id": "bn", "name": "Barnnämnden", "kind": "committee", "parent": None}
    )
    document["plans"].append(
        {"unit": "bn", "year": 2025, "risks": [{"id": "b-1", "title": "Skolskjuts"}]}
    )
    document["plans"].append(
        {"unit": "on", "year": 2026, "risks": [{"id": "r-1", "title": "Kvar"}]}
    )
    return document


class ExportCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        import_document(two_committee_document())

    def export(self, *args: str) -> dict:
        out = io.StringIO()
        call_command("export", *args, stdout=out)
        return json.loads(out.getvalue())

    def test_it_exports_everything_as_a_valid_document(self) -> None:
        document = self.export()
        assert validate_document(document) == []
        assert document == two_committee_document()

    def test_it_writes_the_file_named_with_o(self) -> None:
        with self.settings():
            import tempfile

            with tempfile.TemporaryDirectory() as directory:
                path = Path(directory) / "ut.json"
                call_command("export", "-o", str(path), stdout=io.StringIO())
                assert json.loads(path.read_text("utf-8")) == two_committee_document()

    def test_unit_limits_to_that_committee_and_keeps_the_parents_it_needs(self) -> None:
        document = self.export("--unit", "of-hem")
        assert validate_document(document) == []
        assert [unit["id"] for unit in document["units"]] == ["on", "of", "of-hem"]
        assert "plans" not in document

        document = self.export("--unit", "on")
        assert validate_document(document) == []
        assert {(plan["unit"], plan["year"]) for plan in document["plans"]} == {
            ("on", 2025),
            ("on", 2026),
        }
        assert [report["id"] for report in document["audit_reports"]] == ["rev-1"]

    def test_year_limits_the_plans_and_goals(self) -> None:
        document = self.export("--year", "2026")
        assert validate_document(document) == []
        assert [(plan["unit"], plan["year"]) for plan in document["plans"]] == [("on", 2026)]
        assert "goals" not in document

    def test_unit_and_year_combine(self) -> None:
        document = self.export("--unit", "bn", "--year", "2025")
        assert [plan["risks"][0]["id"] for plan in document["plans"]] == ["b-1"]

    def test_an_unknown_unit_is_an_error_in_swedish(self) -> None:
        with pytest.raises(CommandError, match="saknas"):
            self.export("--unit", "saknas")

    def test_several_organisations_need_a_name(self) -> None:
        other = small_document()
        other["organisation"]["name"] = "Annan kommun"
        import_document(other)
        with pytest.raises(CommandError, match="Annan kommun"):
            self.export()
        assert (
            self.export("--organisation", "Annan kommun")["organisation"]["name"] == "Annan kommun"
        )
        with pytest.raises(CommandError):
            self.export("--organisation", "Finns inte")

"""Malformed documents through `ik import`: a Swedish message by path or line, nothing written."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from internkontroll.exchange.importer import import_document
from internkontroll.exchange.tests.documents import small_document
from internkontroll.exchange.validation import MAX_PROBLEMS, validate_document
from internkontroll.organisation.models import Organisation, Unit
from internkontroll.risks.models import Risk


def counts() -> tuple[int, int, int]:
    return Organisation.objects.count(), Unit.objects.count(), Risk.objects.count()


def with_risk_title(title_json: str) -> str:
    """The small document as text, with the first risk's title replaced by raw JSON."""
    text = json.dumps(small_document(), ensure_ascii=False)
    original = json.dumps(small_document()["plans"][0]["risks"][0]["title"], ensure_ascii=False)
    assert text.count(original) == 1
    return text.replace(original, title_json)


class MalformedDocumentTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        import_document(small_document())

    def setUp(self) -> None:
        self.directory = Path(self.enterContext(tempfile.TemporaryDirectory()))
        self.before = counts()

    def refuse(self, content: str | bytes) -> list[str]:
        """Run `ik import` on content; return the lines it wrote to stderr, the last the summary."""
        path = self.directory / "bad.json"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        err = io.StringIO()
        with pytest.raises(CommandError) as refusal:
            call_command("import", str(path), stdout=io.StringIO(), stderr=err)
        assert "Ingenting har ändrats" in str(refusal.value)
        assert "Traceback" not in err.getvalue()
        assert counts() == self.before, "the database changed"
        return err.getvalue().splitlines()

    def test_a_document_nested_a_hundred_thousand_levels_is_refused_by_line_and_column(
        self,
    ) -> None:
        (line,) = self.refuse("[" * 100_000)
        assert "nästlat i mer än 64 nivåer" in line
        assert "rad 1, kolumn 65" in line

    def test_brackets_inside_texts_do_not_count_as_nesting(self) -> None:
        lines = self.refuse(with_risk_title(json.dumps("[" * 1000)) + "}")
        assert "nästlat" not in lines[0]
        assert "inte giltig JSON" in lines[0]

    def test_nesting_is_counted_on_the_right_line(self) -> None:
        (line,) = self.refuse('{"format": "internkontroll/1",\n "units": ' + "[" * 70)
        assert "rad 2, kolumn 74" in line

    def test_a_five_thousand_digit_number_is_refused_by_path(self) -> None:
        text = json.dumps(small_document()).replace('"year": 2025', '"year": ' + "9" * 5000, 1)
        (line,) = self.refuse(text)
        assert line.startswith("goals[0].year: ")
        assert "5000 siffror" in line
        assert "högst 30" in line

    def test_a_number_too_large_for_a_float_is_refused_by_path(self) -> None:
        (line,) = self.refuse(with_risk_title("1e999"))
        assert line == "plans[0].risks[0].title: Talet 1e999 är för stort."

    def test_nan_and_infinity_are_refused_by_path(self) -> None:
        lines = self.refuse(with_risk_title("[NaN, Infinity, -Infinity]"))
        assert lines[0].startswith("plans[0].risks[0].title[0]: NaN är inte tillåtet")
        assert lines[1].startswith("plans[0].risks[0].title[1]: Infinity är inte tillåtet")
        assert lines[2].startswith("plans[0].risks[0].title[2]: -Infinity är inte tillåtet")

    def test_an_escaped_null_character_in_a_text_is_refused_by_path(self) -> None:
        (line,) = self.refuse(with_risk_title('"Fusk\\u0000"'))
        assert line.startswith("plans[0].risks[0].title: ")
        assert "styrtecknet U+0000 vid tecken 5" in line

    def test_line_breaks_and_tabs_in_a_text_are_accepted(self) -> None:
        document = small_document()
        document["plans"][0]["risks"][0]["description"] = "Första raden\n\tandra raden\r\n"
        path = self.directory / "good.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        call_command("import", str(path), stdout=io.StringIO())
        assert Risk.objects.get(external_id="r-1").description == "Första raden\n\tandra raden\r\n"

    def test_a_raw_control_character_is_refused_by_line_and_column(self) -> None:
        (line,) = self.refuse('{"format": "internkontroll/1", "a": "x\x01"}')
        assert "styrtecken" in line
        assert "rad 1, kolumn 39" in line

    def test_a_lone_surrogate_is_refused_by_path(self) -> None:
        (line,) = self.refuse(with_risk_title('"\\ud800"'))
        assert line.startswith("plans[0].risks[0].title: ")
        assert "surrogatpar" in line

    def test_a_lone_surrogate_in_a_key_is_shown_escaped(self) -> None:
        lines = self.refuse('{"format": "internkontroll/1", "\\udc00": 1}')
        assert lines[0].startswith('["\\udc00"]: Nyckeln')

    def test_a_surrogate_pair_is_one_character_and_accepted(self) -> None:
        document = small_document()
        document["plans"][0]["risks"][0]["title"] = "Risk 😀"
        path = self.directory / "good.json"
        path.write_text(json.dumps(document), encoding="utf-8")  # written as \ud83d\ude00
        call_command("import", str(path), stdout=io.StringIO())
        assert Risk.objects.get(external_id="r-1").title == "Risk 😀"

    def test_a_repeated_key_is_refused_by_path_instead_of_taking_the_last(self) -> None:
        (line,) = self.refuse(with_risk_title('"Första", "title": "Andra"'))
        assert line.startswith("plans[0].risks[0].title: ")
        assert 'Nyckeln "title" förekommer mer än en gång' in line

    def test_invalid_utf8_is_refused_with_its_byte(self) -> None:
        (line,) = self.refuse(b'{"format": "\xff"}')
        assert "inte text i UTF-8 (byte 12)" in line

    def test_a_byte_order_mark_is_accepted(self) -> None:
        document = small_document()
        document["plans"][0]["risks"][0]["title"] = "Med BOM"
        path = self.directory / "bom.json"
        path.write_bytes(b"\xef\xbb\xbf" + json.dumps(document).encode())
        call_command("import", str(path), stdout=io.StringIO())
        assert Risk.objects.get(external_id="r-1").title == "Med BOM"

    def test_an_empty_file_is_refused(self) -> None:
        (line,) = self.refuse(" \n")
        assert "Filen är tom" in line

    def test_a_trailing_comma_is_explained_in_swedish(self) -> None:
        (line,) = self.refuse('{"format": "internkontroll/1",}')
        assert "kommatecken för mycket" in line
        assert "rad 1, kolumn 31" in line

    def test_a_missing_file_is_refused_without_a_traceback(self) -> None:
        err = io.StringIO()
        with pytest.raises(CommandError):
            call_command("import", str(self.directory / "saknas.json"), stderr=err)
        assert "kan inte läsas" in err.getvalue()

    def test_two_hundred_thousand_errors_print_a_hundred_and_one_lines(self) -> None:
        document = small_document()
        document["plans"][0]["risks"] = [{"id": f"r-{n}", "title": n} for n in range(200_000)]
        lines = self.refuse(json.dumps(document))
        assert len(lines) == MAX_PROBLEMS + 1
        assert lines[0].startswith("plans[0].risks[0].title: ")
        assert lines[-1].startswith("dokumentet: Minst ")
        assert "fel till hittades men visas inte" in lines[-1]

    def test_two_hundred_thousand_parse_errors_print_a_hundred_and_one_lines(self) -> None:
        lines = self.refuse(with_risk_title("[" + ", ".join(["NaN"] * 200_000) + "]"))
        assert len(lines) == MAX_PROBLEMS + 1
        assert lines[-1] == (
            "dokumentet: Ytterligare 199900 fel hittades men visas inte; "
            "rätta felen ovan och importera igen."
        )


class ProblemCapTests(TestCase):
    def document_with_wrong_risks(self, count: int) -> dict[str, Any]:
        document = small_document()
        document["plans"][0]["risks"] = ["fel"] * count
        return document

    def test_a_hundred_problems_are_listed_in_full(self) -> None:
        problems = validate_document(self.document_with_wrong_risks(100))
        assert len(problems) == 100
        assert problems[-1].path == "plans[0].risks[99]"

    def test_beyond_a_hundred_one_last_problem_says_exactly_how_many_more(self) -> None:
        problems = validate_document(self.document_with_wrong_risks(150))
        assert len(problems) == 101
        assert problems[99].path == "plans[0].risks[99]"
        assert problems[-1].path == ""
        assert problems[-1].message.startswith("Ytterligare 50 fel hittades")

    def test_too_many_to_count_says_at_least(self) -> None:
        problems = validate_document(self.document_with_wrong_risks(5000))
        assert len(problems) == 101
        assert problems[-1].message.startswith("Minst 900 fel till hittades")

"""docs/exchange-format.md describes the format the code reads: its examples validate and it
names every key of the JSON Schema."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.test import SimpleTestCase, TestCase

from internkontroll.exchange.importer import import_document
from internkontroll.exchange.validation import SCHEMA_PATH, validate_document
from internkontroll.risks.models import Risk

DOC_PATH = Path(__file__).resolve().parents[3] / "docs" / "exchange-format.md"
JSON_BLOCK = re.compile(r"^```json\n(.*?)^```", re.DOTALL | re.MULTILINE)


def json_examples(text: str) -> list[str]:
    return JSON_BLOCK.findall(text)


def schema_keys(schema: dict[str, Any]) -> set[str]:
    """The property names of the document and of every object defined in the schema."""
    objects = [schema, *schema["$defs"].values()]
    return {key for definition in objects for key in definition.get("properties", {})}


class FormatDocTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.text = DOC_PATH.read_text(encoding="utf-8")

    def test_it_has_a_complete_example_and_a_minimal_one(self) -> None:
        documents = [json.loads(block) for block in json_examples(self.text)]
        assert len(documents) >= 2
        complete = documents[0]
        assert set(complete) == {
            "format",
            "organisation",
            "units",
            "goals",
            "plans",
            "audit_reports",
        }
        risk = complete["plans"][0]["risks"][0]
        assert risk["actions"][0]["follow_ups"]
        assert risk["control_activities"][0]["follow_ups"]
        assert complete["audit_reports"][0]["recommendations"][0]["follow_ups"]

    def test_every_json_example_validates_without_problems(self) -> None:
        for number, block in enumerate(json_examples(self.text), start=1):
            with self.subTest(example=number):
                assert validate_document(json.loads(block)) == []

    def test_it_mentions_every_key_of_the_schema(self) -> None:
        schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
        missing = sorted(key for key in schema_keys(schema) if f"`{key}`" not in self.text)
        assert missing == []


class FormatDocImportTests(TestCase):
    def test_the_complete_example_imports_and_importing_it_again_changes_nothing(self) -> None:
        document = json.loads(json_examples(DOC_PATH.read_text(encoding="utf-8"))[0])

        first = import_document(document)
        again = import_document(document)

        assert first.created["Risk"] == 1
        assert Risk.objects.get().unit.external_id == "kff"
        assert (again.created.total(), again.updated.total()) == (0, 0)


class ExtractionTests(SimpleTestCase):
    """The helpers above can fail: a broken example or a key left out is found."""

    def test_a_json_block_is_extracted_and_other_blocks_are_not(self) -> None:
        text = 'Intro\n```json\n{"a": 1}\n```\n```sh\nik import\n```\n'
        assert json_examples(text) == ['{"a": 1}\n']

    def test_an_example_with_a_wrong_code_has_a_problem(self) -> None:
        (block,) = json_examples(DOC_PATH.read_text(encoding="utf-8"))[:1]
        document = json.loads(block)
        document["units"][0]["kind"] = "municipality"
        assert [problem.path for problem in validate_document(document)] == ["units[0].kind"]

    def test_the_schema_keys_include_those_of_nested_objects(self) -> None:
        schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
        keys = schema_keys(schema)
        assert {"format", "audit_reports", "min_score", "on_track", "working_method"} <= keys

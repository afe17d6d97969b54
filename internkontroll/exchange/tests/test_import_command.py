import io
import json
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings
from simple_history.models import registered_models

from internkontroll.accounts.models import User
from internkontroll.exchange.exporter import export_document
from internkontroll.exchange.tests.documents import small_document
from internkontroll.manage import main
from internkontroll.organisation.models import Organisation
from internkontroll.risks.models import Action, Risk


def history_rows() -> int:
    return sum(
        model.history.count() for model in registered_models.values() if hasattr(model, "history")
    )


class ImportCommandTests(TestCase):
    def setUp(self) -> None:
        self.directory = Path(self.enterContext(_tempdir()))

    def write(self, document: Any, name: str = "doc.json") -> Path:
        path = self.directory / name
        text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
        path.write_text(text, encoding="utf-8")
        return path

    def run_import(self, path: Path, *args: str) -> tuple[str, str]:
        out, err = io.StringIO(), io.StringIO()
        call_command("import", str(path), *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_it_imports_a_document_and_says_what_it_did(self) -> None:
        out, _ = self.run_import(self.write(small_document()))
        assert "Provkommun" in out
        organisation = Organisation.objects.get(name="Provkommun")
        assert export_document(organisation) == small_document()

    def test_a_second_import_updates_by_id_instead_of_duplicating(self) -> None:
        self.run_import(self.write(small_document()))
        changed = small_document()
        changed["plans"][0]["risks"][0]["title"] = "Nytt namn på risken"
        changed["plans"][0]["risks"][0]["actions"][0]["status"] = "done"
        self.run_import(self.write(changed, "again.json"))
        assert Risk.objects.count() == 2
        assert Action.objects.count() == 2
        assert Risk.objects.get(external_id="r-1").title == "Nytt namn på risken"
        assert Action.objects.get(external_id="a-1").status == "done"
        assert export_document(Organisation.objects.get()) == changed

    def test_reimporting_the_same_document_writes_no_history(self) -> None:
        path = self.write(small_document())
        self.run_import(path)
        before = history_rows()
        self.run_import(path)
        assert history_rows() == before

    def test_the_changes_are_recorded_as_the_importing_user(self) -> None:
        user = User.objects.create_user("importor")
        self.run_import(self.write(small_document()), "--user", "importor")
        record = Risk.history.get(external_id="r-1")
        assert record.history_user == user

    def test_an_unknown_user_is_refused_before_anything_is_read(self) -> None:
        with pytest.raises(CommandError, match="importor"):
            self.run_import(self.write(small_document()), "--user", "importor")
        assert not Organisation.objects.exists()


class BadInputTests(TestCase):
    """Each bad document: a Swedish message naming the place, exit status 1, nothing changed."""

    @classmethod
    def setUpTestData(cls) -> None:
        from internkontroll.exchange.importer import import_document

        import_document(small_document())

    def setUp(self) -> None:
        self.directory = Path(self.enterContext(_tempdir()))
        self.before = (
            export_document(Organisation.objects.get()),
            history_rows(),
            Organisation.objects.count(),
        )

    def refuse(self, content: Any) -> str:
        """Run `ik import` as from the shell; return what it wrote to stderr."""
        path = self.directory / "bad.json"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
            path.write_text(text, encoding="utf-8")
        err = io.StringIO()
        with (
            # A finished command closes the connections, which would end the test's transaction.
            mock.patch("django.db.connections.close_all"),
            mock.patch.object(sys, "argv", ["ik", "import", str(path)]),
            mock.patch.object(sys, "stderr", err),
            pytest.raises(SystemExit) as exit_,
        ):
            main()
        assert exit_.value.code == 1
        after = (
            export_document(Organisation.objects.get(name="Provkommun")),
            history_rows(),
            Organisation.objects.count(),
        )
        assert after == self.before, "the database changed"
        return err.getvalue()

    def changed(self, edit: Any) -> dict[str, Any]:
        document = small_document()
        edit(document)
        return document

    def test_a_file_that_is_not_json(self) -> None:
        message = self.refuse('{"format": "internkontroll/1", "organisation": ')
        assert "inte giltig JSON" in message
        assert "rad 1" in message

    def test_a_file_that_is_not_text(self) -> None:
        assert "UTF-8" in self.refuse(b"\xff\xfe\x00garbage")

    def test_another_format_version(self) -> None:
        message = self.refuse(self.changed(lambda d: d.update(format="internkontroll/2")))
        assert "format" in message
        assert "internkontroll/2" in message

    def test_an_unknown_key(self) -> None:
        message = self.refuse(
            self.changed(lambda d: d["plans"][0]["risks"][0].update(colour="röd"))
        )
        assert "plans[0].risks[0].colour" in message
        assert "Okänd" in message or "okänd" in message

    def test_a_probability_of_seven_on_a_four_by_four_matrix(self) -> None:
        message = self.refuse(
            self.changed(lambda d: d["plans"][0]["risks"][0].update(probability=7))
        )
        assert "plans[0].risks[0].probability" in message
        assert "7" in message

    def test_a_follow_up_naming_a_period_the_organisation_does_not_have(self) -> None:
        message = self.refuse(
            self.changed(
                lambda d: d["plans"][0]["risks"][0]["actions"][0]["follow_ups"][0].update(
                    period="Q3"
                )
            )
        )
        assert "plans[0].risks[0].actions[0].follow_ups[0].period" in message
        assert "Q3" in message

    def test_a_repeated_action_id(self) -> None:
        def repeat(d: dict[str, Any]) -> None:
            d["plans"][0]["risks"][0]["actions"][1]["id"] = "a-1"

        message = self.refuse(self.changed(repeat))
        assert "plans[0].risks[0].actions[1].id" in message
        assert "a-1" in message

    def test_a_unit_whose_parent_does_not_exist(self) -> None:
        message = self.refuse(self.changed(lambda d: d["units"][3].update(parent="saknas")))
        assert "units[3].parent" in message
        assert "saknas" in message

    def test_units_whose_parents_form_a_cycle(self) -> None:
        def cycle(d: dict[str, Any]) -> None:
            d["units"][1]["parent"] = "of-hem"

        message = self.refuse(self.changed(cycle))
        assert "units[1]" in message
        assert "of-hem" in message

    @override_settings(IK_IMPORT_MAX_BYTES=20 * 1024 * 1024)
    def test_a_fifty_megabyte_document(self) -> None:
        document = small_document()
        document["plans"][0]["risks"][0]["description"] = "x" * (50 * 1024 * 1024)
        message = self.refuse(document)
        assert "50,0 MB" in message
        assert "20,0 MB" in message

    def test_many_problems_are_all_reported_at_once(self) -> None:
        def several(d: dict[str, Any]) -> None:
            d["plans"][0]["risks"][0]["probability"] = 9
            d["units"][3]["parent"] = "saknas"
            d["plans"][0]["risks"][0]["actions"][0]["status"] = "klar"

        message = self.refuse(self.changed(several))
        for path in (
            "plans[0].risks[0].probability",
            "units[3].parent",
            "plans[0].risks[0].actions[0].status",
        ):
            assert path in message

    def test_a_problem_only_the_database_shows_rolls_everything_back(self) -> None:
        # The stored risk r-1 sits at 4×3; the document shrinks the matrix to 3×3 and no
        # longer lists r-1, so only the database knows that r-1 no longer fits.
        Risk.objects.filter(external_id="r-1").update(probability=4)
        self.setUp()

        def shrink(d: dict[str, Any]) -> None:
            matrix = d["organisation"]["risk_matrix"]
            matrix["probability"] = matrix["probability"][:3]
            matrix["consequence"] = matrix["consequence"][:3]
            matrix["levels"] = matrix["levels"][:3]
            d["plans"][0]["risks"] = [d["plans"][0]["risks"][1]]
            d["plans"][0]["risks"][0]["title"] = "Ändrad titel som inte får sparas"

        message = self.refuse(self.changed(shrink))
        assert "r-1" in message
        assert "plans[0]" in message


class _tempdir:
    def __enter__(self) -> str:
        import tempfile

        self._dir = tempfile.TemporaryDirectory()
        return self._dir.__enter__()

    def __exit__(self, *exc: object) -> None:
        self._dir.__exit__(*exc)


class TextLengthTests(TestCase):
    def test_a_title_longer_than_the_database_holds_is_a_problem_not_a_crash(self) -> None:
        from internkontroll.exchange.validation import validate_document

        document = small_document()
        document["plans"][0]["risks"][0]["title"] = "x" * 501
        document["units"][0]["id"] = "u" * 101
        problems = {problem.path: problem.message for problem in validate_document(document)}
        assert "501" in problems["plans[0].risks[0].title"]
        assert "100" in problems["units[0].id"]


class YearRangeTests(TestCase):
    def test_a_year_the_database_cannot_hold_is_a_problem_not_a_crash(self) -> None:
        from internkontroll.exchange.validation import validate_document

        document = small_document()
        document["plans"][0]["year"] = 2300
        document["goals"][0]["year"] = -1
        problems = {problem.path: problem.message for problem in validate_document(document)}
        assert "2200" in problems["plans[0].year"]
        assert "1900" in problems["goals[0].year"]

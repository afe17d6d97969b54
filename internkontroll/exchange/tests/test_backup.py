"""A backup (`ik export --history`) restores into an empty instance: the same document and
the same history, who did what and when."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import time_machine
from django.core.management import call_command
from django.test import TestCase, TransactionTestCase

from internkontroll.accounts.models import User
from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.exchange.exporter import export_document
from internkontroll.exchange.importer import ImportFailed, import_document
from internkontroll.exchange.tests.documents import small_document
from internkontroll.followups.models import FollowUp
from internkontroll.lib.versioning import ANY_VERSION, save_versioned
from internkontroll.organisation.models import Goal, Organisation, Unit
from internkontroll.plans.models import Assessment, ControlPlan
from internkontroll.risks.models import Action, Risk

IMPORTED = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
EDITED = datetime.datetime(2026, 3, 9, 14, 5, tzinfo=datetime.UTC)
RESTORED = datetime.datetime(2026, 4, 1, 8, 0, tzinfo=datetime.UTC)


# The field that tells a model's versions apart in these tests.
LABELS: dict[Any, str] = {
    Unit: "name",
    Goal: "title",
    ControlPlan: "reference",
    Assessment: "analysis",
    Risk: "title",
    Action: "title",
    FollowUp: "comment",
    AuditReport: "title",
    Recommendation: "response",
}


def history_of(model: Any) -> list[tuple[str, str, datetime.datetime, str | None, str | None]]:
    """Each version of each row (of a risk's follow-ups: the backup's scope): the row's label,
    its kind, when, who and why."""
    versions = model.history.select_related("history_user")
    if model is FollowUp:
        versions = versions.filter(recommendation_id=None)
    label = LABELS[model]
    return [
        (
            getattr(version, label),
            version.history_type,
            version.history_date,
            version.history_user.username if version.history_user else None,
            version.history_change_reason,
        )
        for version in versions.order_by("history_date", label, "history_id")
    ]


# Bo's edit of one row of each other kind with a history: which row, its new label, his reason.
EDITS: list[tuple[Any, dict[str, Any], str, str]] = [
    (Unit, {"external_id": "of-hem"}, "Hemtjänsten Norr", "Omorganisation"),
    (Goal, {"external_id": "2.1"}, "Trygg vård för äldre", "Nytt mål"),
    (ControlPlan, {"year": 2025}, "ON-2025/12", "Nytt diarienummer"),
    (Assessment, {"plan__year": 2025}, "Omprövad av Bo.", "Ny analys"),
    (AuditReport, {"external_id": "rev-1"}, "Granskning, rättad", "Rättad rubrik"),
    (Recommendation, {"external_id": "rek-1"}, "Bo svarar.", "Nytt svar"),
]


class BackupTests(TransactionTestCase):
    def make_history(self) -> Organisation:
        anna = User.objects.create_user("anna", first_name="Anna", last_name="Andersson")
        bo = User.objects.create_user("bo", first_name="Bo", last_name="Berg")
        with time_machine.travel(IMPORTED, tick=False):
            import_document(small_document(), acting_user=anna)
        organisation = Organisation.objects.get(name="Provkommun")
        User.objects.filter(pk__in=[anna.pk, bo.pk]).update(organisation=organisation)
        with time_machine.travel(EDITED, tick=False):
            risk = Risk.objects.get(external_id="r-1")
            save_versioned(
                risk,
                {"title": "Ändrad av Bo"},
                version=ANY_VERSION,
                acting_user=bo,
                reason="Rättad rubrik",
            )
            action = Action.objects.get(external_id="a-2")
            save_versioned(action, {"status": "in_progress"}, version=ANY_VERSION, acting_user=bo)
            for model, lookup, label, reason in EDITS:
                save_versioned(
                    model.objects.get(**lookup),
                    {LABELS[model]: label},
                    version=ANY_VERSION,
                    acting_user=bo,
                    reason=reason,
                )
            save_versioned(
                FollowUp(action=action),
                {"date": EDITED.date(), "status": "in_progress", "comment": "Bo rapporterar"},
                version=ANY_VERSION,
                acting_user=bo,
            )
        return organisation

    def backup(self, organisation: Organisation) -> Path:
        directory = Path(self.enterContext(TemporaryDirectory()))  # type: ignore[attr-defined]
        path = directory / "backup.json"
        call_command("export", "--history", "-o", str(path), stdout=io.StringIO())
        return path

    def test_a_restore_gives_the_same_document_and_history(self) -> None:
        organisation = self.make_history()
        before = export_document(organisation, history=True)
        histories = {model: history_of(model) for model in LABELS}
        path = self.backup(organisation)

        call_command("flush", interactive=False, verbosity=0)
        assert not User.objects.exists()
        with time_machine.travel(RESTORED, tick=False):
            call_command("import", str(path), stdout=io.StringIO())

        after = export_document(Organisation.objects.get(name="Provkommun"), history=True)
        assert after == before
        for model, history in histories.items():
            assert history_of(model) == history, model
        assert ("Ändrad av Bo", "~", EDITED, "bo", "Rättad rubrik") in history_of(Risk)
        assert ("Bo rapporterar", "+", EDITED, "bo", None) in history_of(FollowUp)
        for model, _lookup, label, reason in EDITS:
            assert (label, "~", EDITED, "bo", reason) in history_of(model), model
        assert ("Manipulerade besöksregistreringar", "+", IMPORTED, "anna", "import") in (
            history_of(Risk)
        )
        bo = User.objects.get(username="bo")
        assert (bo.get_full_name(), bo.is_active, bo.has_usable_password()) == (
            "Bo Berg",
            False,
            False,
        )
        assert not bo.role_assignments.exists()

    def test_the_backup_names_who_and_when(self) -> None:
        path = self.backup(self.make_history())
        document = json.loads(path.read_text(encoding="utf-8"))
        risk = document["plans"][0]["risks"][0]
        assert [(entry["by"], entry["values"]["title"]) for entry in risk["history"]] == [
            ("anna", "Manipulerade besöksregistreringar"),
            ("bo", "Ändrad av Bo"),
        ]
        assert datetime.datetime.fromisoformat(risk["history"][1]["at"]) == EDITED
        assert {person["username"] for person in document["people"]} == {"anna", "bo"}


class HistoryInDocumentTests(TestCase):
    def document_with_history(self, **entry: Any) -> dict[str, Any]:
        document = small_document()
        risk = document["plans"][0]["risks"][1]
        risk["history"] = [
            {"at": "2025-01-10T10:00:00+01:00", "by": "cia", "values": {**risk, "title": "Förr"}}
            | entry
        ]
        document["people"] = [{"username": "cia", "first_name": "Cia", "last_name": "Ceder"}]
        return document

    def test_a_risks_versions_become_its_history_and_the_import_its_last_version(self) -> None:
        with time_machine.travel(RESTORED, tick=False):
            import_document(self.document_with_history())
        risk = Risk.objects.get(external_id="r-2")
        versions = list(risk.history.order_by("history_date").select_related("history_user"))
        assert [
            (v.title, v.history_user.username if v.history_user else None) for v in versions
        ] == [
            ("Förr", "cia"),
            ("Bristande informationsöverföring", None),
        ]
        assert [v.history_change_reason for v in versions] == ["import", "import"]
        assert risk.version == 2

    def test_a_version_keeps_the_reason_it_names(self) -> None:
        with time_machine.travel(RESTORED, tick=False):
            import_document(self.document_with_history(reason="Ny bedömning"))
        risk = Risk.objects.get(external_id="r-2")
        versions = risk.history.order_by("history_date")
        assert [v.history_change_reason for v in versions] == ["Ny bedömning", "import"]

    def test_a_version_may_name_no_reason(self) -> None:
        import_document(self.document_with_history(reason=None))
        risk = Risk.objects.get(external_id="r-2")
        versions = risk.history.order_by("history_date")
        assert [v.history_change_reason for v in versions] == [None, "import"]

    def test_a_moment_without_its_offset_is_refused(self) -> None:
        with self.assertRaises(ImportFailed) as refused:
            import_document(self.document_with_history(at="2025-01-10T10:00:00"))
        (problem,) = refused.exception.problems
        assert problem.path == "plans[0].risks[1].history[0].at"
        assert not Risk.objects.exists()

    def test_a_user_of_another_organisation_is_not_named(self) -> None:
        other = Organisation.objects.create(name="Annan kommun")
        User.objects.create_user("cia", organisation=other)
        with self.assertRaises(ImportFailed) as refused:
            import_document(self.document_with_history())
        assert [problem.path for problem in refused.exception.problems] == [
            "plans[0].risks[1].history[0].by"
        ]
        assert not Risk.objects.exists()

    def test_a_plans_versions_become_its_history(self) -> None:
        document = self.document_with_history()
        document["plans"][0]["history"] = [
            {
                "at": "2024-11-01T09:00:00+01:00",
                "by": "cia",
                "reason": "Utkast",
                "values": {"unit": "on", "year": 2025, "reference": "Förr"},
            }
        ]
        with time_machine.travel(RESTORED, tick=False):
            import_document(document)
        plan = ControlPlan.objects.get()
        versions = plan.history.order_by("history_date").select_related("history_user")
        assert [
            (
                v.reference,
                v.adopted_on,
                v.history_user.username if v.history_user else None,
                v.history_change_reason,
            )
            for v in versions
        ] == [
            ("Förr", None, "cia", "Utkast"),
            ("ON-2024/88", datetime.date(2024, 12, 10), None, "import"),
        ]

    def test_a_moment_without_its_offset_is_refused_in_any_kinds_history(self) -> None:
        document = small_document()
        recommendation = document["audit_reports"][0]["recommendations"][0]
        recommendation["history"] = [{"at": "2025-01-10T10:00:00", "values": {**recommendation}}]
        unit = document["units"][0]
        unit["history"] = [{"at": "2025-01-10T10:00:00", "values": {**unit}}]
        with self.assertRaises(ImportFailed) as refused:
            import_document(document)
        assert [problem.path for problem in refused.exception.problems] == [
            "units[0].history[0].at",
            "audit_reports[0].recommendations[0].history[0].at",
        ]
        assert not Organisation.objects.exists()

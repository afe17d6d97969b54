"""The write gate: every edit carries the version it was made from, and every path checks it."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import models
from django.db.models import F
from django.urls import reverse

from internkontroll.controls.models import ControlActivity
from internkontroll.exchange.exporter import export_document
from internkontroll.exchange.importer import ImportFailed, import_document
from internkontroll.exchange.validation import UNIT_KINDS
from internkontroll.organisation.models import Goal, Process, RiskArea, Unit
from internkontroll.plans.models import Assessment
from internkontroll.risks.models import Risk
from internkontroll.test import BaseTestCase

MISSING = "Formuläret saknar versionen"
STALE = "Någon annan sparade detta efter att du öppnade formuläret"


def posted(form: Any) -> dict[str, Any]:
    """What a browser sends for the form as it was shown."""
    data: dict[str, Any] = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[field.html_name] = [str(getattr(item, "pk", item)) for item in value]
        elif isinstance(value, datetime.date):
            data[field.html_name] = value.isoformat()
        else:
            data[field.html_name] = "on" if value is True else str(value)
    return data


class EditFormsRefuseMissingAndStaleVersionsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.goal = Goal.objects.create(
            organisation=cls.organisation, external_id="1.1", unit=cls.sn, year=2025, title="Mål"
        )
        cls.process = Process.objects.create(organisation=cls.organisation, name="Ekonomi")
        cls.area = RiskArea.objects.create(organisation=cls.organisation, name="Oegentligheter")

    def edit_pages(self) -> list[tuple[str, models.Model, Callable[[], str], dict[str, str]]]:
        """Each edit: its row, its page and what to change so that the form is valid."""
        report_date = {"date": "2025-03-01"}
        reported = {"status": "done", "comment": "Klart.", "date": "2025-05-02"}
        assessed = {"verdict": "partly_sufficient", "analysis": "Två avvikelser."}
        return [
            ("risk", self.sn_risk, lambda: reverse("risks:edit", args=[self.sn_risk.pk]), {}),
            ("action", self.sn_action, lambda: self.url("risks:action_edit", self.sn_action), {}),
            ("control", self.sn_activity, lambda: self.url("controls:edit", self.sn_activity), {}),
            (
                "follow-up",
                self.sn_action,
                lambda: self.url("followups:report_action", self.sn_action),
                reported,
            ),
            (
                "report",
                self.sn_report,
                lambda: self.url("audits:edit", self.sn_report),
                report_date,
            ),
            (
                "recommendation",
                self.sn_recommendation,
                lambda: self.url("audits:recommendation_edit", self.sn_recommendation),
                {},
            ),
            (
                "recommendation follow-up",
                self.sn_recommendation,
                lambda: self.url("audits:recommendation_follow_up", self.sn_recommendation),
                {"status": "done", "comment": "Klart.", "date": "2025-05-02"},
            ),
            ("unit", self.sf_vux, lambda: self.url("organisation:unit_edit", self.sf_vux), {}),
            ("goal", self.goal, lambda: self.url("organisation:goal_edit", self.goal), {}),
            (
                "process",
                self.process,
                lambda: self.url("organisation:process_edit", self.process),
                {},
            ),
            ("area", self.area, lambda: self.url("organisation:risk_area_edit", self.area), {}),
            (
                "assessment",
                self.sn_assessment,
                lambda: self.url("plans:assessment", self.sn_plan),
                assessed,
            ),
        ]

    def url(self, name: str, obj: models.Model) -> str:
        return reverse(name, args=[obj.pk])

    def version(self, row: models.Model) -> int:
        return type(row)._default_manager.get(pk=row.pk).version  # type: ignore[attr-defined]

    def test_every_edit_form_refuses_a_missing_or_stale_version_and_saves_a_current_one(
        self,
    ) -> None:
        self.client.force_login(self.admin)
        for name, row, url, changes in self.edit_pages():
            with self.subTest(name):
                shown = self.client.get(url())
                assert shown.status_code == 200
                assert 'type="hidden" name="version"' in shown.content.decode()
                data = {**posted(shown.context["form"]), **changes}
                opened = self.version(row)
                assert data["version"] == str(opened)

                for missing in ("", "abc"):
                    refused = self.client.post(url(), {**data, "version": missing})
                    assert refused.status_code == 422
                    assert MISSING in refused.content.decode()
                    assert self.version(row) == opened

                # Someone else saves; the form opened before is refused, the input kept.
                type(row)._default_manager.filter(pk=row.pk).update(version=F("version") + 1)
                refused = self.client.post(url(), data)
                assert refused.status_code == 422
                assert STALE in refused.content.decode()
                assert str(refused.context["form"]["version"].value()) == str(opened + 1)
                assert self.version(row) == opened + 1

                saved = self.client.post(url(), {**data, "version": opened + 1})
                assert saved.status_code == 302, saved.context["form"].errors
                assert self.version(row) == opened + 2

    def test_an_adoption_refuses_a_missing_or_stale_version_of_the_plan(self) -> None:
        self.client.force_login(self.admin)
        url = reverse("plans:adopt", args=[self.sn_plan.pk])
        data = {"adopted_on": "2025-01-15", "reference": "SN-2025/1"}
        assert MISSING in self.client.post(url, data).content.decode()
        stale = {**data, "version": self.sn_plan.version - 1 or 99}
        response = self.client.post(url, stale)
        assert response.status_code == 422
        assert STALE in response.content.decode()
        self.sn_plan.refresh_from_db()
        assert self.sn_plan.reference == "SN-2024/259"


class ImportGoesThroughTheGateTests(BaseTestCase):
    def document(self) -> dict[str, Any]:
        return json.loads(json.dumps(export_document(self.organisation)))

    def sn_plan_index(self, document: dict[str, Any]) -> int:
        return next(i for i, p in enumerate(document["plans"]) if p["unit"] == "sn")

    def test_it_refuses_a_risk_whose_unit_is_outside_the_plans_committee(self) -> None:
        document = self.document()
        index = self.sn_plan_index(document)
        document["plans"][index]["risks"][0]["unit"] = "bf"  # below bn, not sn
        document["plans"][index]["risks"][0]["title"] = "Ändrad av importen"
        try:
            import_document(document)
        except ImportFailed as failed:
            problems = [(p.path, p.message) for p in failed.problems]
        else:
            raise AssertionError("the import was accepted")
        assert problems == [
            (
                f"plans[{index}].risks[0].unit",
                "Enheten Utbildningsförvaltningen hör inte till Socialnämnden, som äger planen.",
            )
        ]
        self.sn_risk.refresh_from_db()
        assert (self.sn_risk.unit, self.sn_risk.title) == (self.sf_vux, "Felaktiga utbetalningar")

    def test_an_import_raises_the_version_so_a_form_opened_before_is_refused(self) -> None:
        self.client.force_login(self.coordinator)
        url = reverse("risks:edit", args=[self.sn_risk.pk])
        data = posted(self.client.get(url).context["form"])
        document = self.document()
        document["plans"][self.sn_plan_index(document)]["risks"][0]["title"] = "Från importen"
        summary = import_document(document)
        assert summary.updated["Risk"] == 1
        risk = Risk.objects.get(pk=self.sn_risk.pk)
        assert (risk.title, risk.version) == ("Från importen", self.sn_risk.version + 1)
        assert risk.history.latest().history_change_reason == "import"
        response = self.client.post(url, {**data, "title": "Från formuläret"})
        assert response.status_code == 422
        assert STALE in response.content.decode()
        assert Risk.objects.get(pk=self.sn_risk.pk).title == "Från importen"

    def test_an_import_that_changes_only_an_activitys_periods_raises_its_version(self) -> None:
        document = self.document()
        activity = document["plans"][self.sn_plan_index(document)]["risks"][0][
            "control_activities"
        ][0]
        assert not activity.get("periods")
        activity["periods"] = ["T2"]
        import_document(document)
        stored = ControlActivity.objects.get(pk=self.sn_activity.pk)
        assert [period.code for period in stored.periods.all()] == ["T2"]
        assert stored.version == self.sn_activity.version + 1

    def test_an_unchanged_import_saves_nothing(self) -> None:
        summary = import_document(self.document())
        assert not summary.updated
        assert not summary.created
        assert Risk.objects.get(pk=self.sn_risk.pk).version == self.sn_risk.version

    def test_it_refuses_a_follow_up_dated_in_the_future_with_its_path(self) -> None:
        document = self.document()
        index = self.sn_plan_index(document)
        action = document["plans"][index]["risks"][0]["actions"][0]
        action["follow_ups"][0]["date"] = "2999-01-01"
        try:
            import_document(document)
        except ImportFailed as failed:
            paths = [str(problem) for problem in failed.problems]
        else:
            raise AssertionError("the import was accepted")
        assert paths == [
            f"plans[{index}].risks[0].actions[0].follow_ups[0].date: "
            "Datumet kan inte ligga i framtiden."
        ]


class OneDefinitionTests(BaseTestCase):
    def test_the_schema_knows_the_models_unit_kinds(self) -> None:
        schema_path = Path(__file__).parents[1] / "exchange" / "schema.json"
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        kinds = schema["$defs"]["unit"]["properties"]["kind"]["enum"]
        assert kinds == Unit.Kind.values == list(UNIT_KINDS)


class DatesThatMakeSenseTests(BaseTestCase):
    def test_a_recommendation_is_not_followed_up_before_its_report(self) -> None:
        self.sn_report.date = datetime.date(2025, 3, 1)
        self.sn_report.save()
        self.client.force_login(self.admin)
        url = reverse("audits:recommendation_follow_up", args=[self.sn_recommendation.pk])
        response = self.client.post(
            url,
            {
                "date": "2025-02-28",
                "status": "done",
                "comment": "Klart.",
                "version": self.sn_recommendation.version,
            },
        )
        assert response.status_code == 422
        assert response.context["form"].errors["date"] == ["Datumet kan inte vara före 2025-03-01."]

    def test_an_audit_report_is_not_dated_in_the_future(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(
            reverse("audits:edit", args=[self.sn_report.pk]),
            {
                "unit": self.sn.pk,
                "title": "Granskning",
                "date": "2999-01-01",
                "version": self.sn_report.version,
            },
        )
        assert response.status_code == 422
        assert response.context["form"].errors["date"] == ["Datumet kan inte ligga i framtiden."]

    def test_an_actions_due_date_lies_around_its_plans_year(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(
            reverse("risks:action_edit", args=[self.sn_action.pk]),
            {
                "title": "Attest",
                "status": "in_progress",
                "due_date": "2205-06-30",
                "version": self.sn_action.version,
            },
        )
        assert response.status_code == 422
        assert response.context["form"].errors["due_date"] == [
            "Slutdatumet måste ligga mellan 2024 och 2030, åren kring planens år 2025."
        ]

    def test_a_control_activitys_due_date_lies_around_its_plans_year(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(
            reverse("controls:edit", args=[self.sn_activity.pk]),
            {
                "title": "Stickprov",
                "due_date": "2015-06-30",
                "version": self.sn_activity.version,
            },
        )
        assert response.status_code == 422
        assert response.context["form"].errors["due_date"] == [
            "Slutdatumet måste ligga mellan 2024 och 2030, åren kring planens år 2025."
        ]
        self.sn_activity.refresh_from_db()
        assert self.sn_activity.due_date is None

    def test_an_assessment_is_versioned(self) -> None:
        assert Assessment.objects.get(pk=self.sn_assessment.pk).version == 1

from __future__ import annotations

import datetime
import json
from typing import Any

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.controls.models import ControlActivity
from internkontroll.lib.versioning import ANY_VERSION
from internkontroll.plans.actions import adopt_plan, save_assessment
from internkontroll.plans.models import AdoptedVersion
from internkontroll.test import BaseTestCase, make_plan, make_risk

TODAY = datetime.datetime(2025, 9, 1, 12, tzinfo=datetime.UTC)


def url(version: AdoptedVersion, query: str = "") -> str:
    return reverse("plans:version", args=[version.pk]) + query


@time_machine.travel(TODAY, tick=False)
class AdoptedVersionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.draft = make_plan(cls.sn, year=2026)
        cls.risk = make_risk(cls.draft, "r-9", title="Bristande attest", handling=["review"])
        ControlActivity.objects.create(risk=cls.risk, external_id="k-9", title="Stickprov attest")
        make_risk(cls.draft, "r-10", title="Accepterad risk", handling=["accept"])
        adopt_plan(
            cls.draft,
            adopted_on=datetime.date(2025, 8, 28),
            reference="SN-2025/301",
            acting_user=cls.coordinator,
            version=ANY_VERSION,
        )
        cls.version = AdoptedVersion.objects.get(plan=cls.draft)

    def main(self, path: str) -> str:
        """The page's content, without the per-request tokens around it."""
        content = self.get(path).content.decode()
        return content[content.index("<main") : content.index("</main>")]

    def get(self, path: str, user: Any = None) -> Any:
        self.client.force_login(user or self.coordinator)
        return self.client.get(path)

    def test_adopting_a_plan_stores_a_snapshot_in_the_exchange_shape(self) -> None:
        assert (self.version.kind, self.version.reference) == ("plan", "SN-2025/301")
        assert self.version.decided_on == datetime.date(2025, 8, 28)
        assert self.version.created_by == self.coordinator
        snapshot = self.version.snapshot
        assert snapshot["format"] == "internkontroll/1"
        assert [p["code"] for p in snapshot["organisation"]["periods"]] == ["T1", "T2", "VB"]
        assert "levels" in snapshot["organisation"]["risk_matrix"]
        [plan] = snapshot["plans"]
        assert (plan["unit"], plan["year"], plan["adopted_on"]) == ("sn", 2026, "2025-08-28")
        assert [r["id"] for r in plan["risks"]] == ["r-9", "r-10"]

    def test_editing_the_plan_afterwards_leaves_the_snapshot_untouched(self) -> None:
        before = self.main(url(self.version))
        frozen = json.dumps(self.version.snapshot, sort_keys=True)
        self.risk.title = "Ny rubrik"
        self.risk.save()
        ControlActivity.objects.filter(risk=self.risk).update(title="Ändrad kontroll")
        self.version.refresh_from_db()
        assert json.dumps(self.version.snapshot, sort_keys=True) == frozen
        after = self.main(url(self.version))
        assert after == before
        assert "Bristande attest" in after
        assert "Ny rubrik" not in after

    def test_the_page_shows_risks_under_review_with_their_control_activities(self) -> None:
        content = self.get(url(self.version), self.reader).content.decode()
        assert "Bristande attest" in content
        assert "Stickprov attest" in content
        assert "Accepterad risk" not in content
        assert "SN-2025/301" in content

    def test_it_links_the_adopted_versions_report_in_every_format(self) -> None:
        content = self.get(url(self.version)).content.decode()
        report = reverse("reports:version", args=[self.version.pk])
        for fmt in ("html", "pdf", "docx", "xlsx"):
            assert f'href="{report}?format={fmt}"' in content

    def test_it_downloads_the_snapshot_as_json(self) -> None:
        response = self.get(url(self.version, "?format=json"))
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="plan-sn-2025-08-28.json"'
        assert json.loads(response.content) == self.version.snapshot

    def test_the_plan_page_lists_the_versions_and_the_changes_since_adoption(self) -> None:
        self.risk.title = "Ny rubrik"
        self.risk.save()
        make_risk(self.draft, "r-11", title="Tillkommen risk", handling=["review"])
        page = self.get(reverse("plans:detail", args=[self.draft.pk]))
        assert url(self.version) in page.content.decode()
        assert "SN-2025/301" in page.content.decode()
        # The page loads the changes when their place is reached; they come on asking.
        assert not page.context["changes_loaded"]
        assert "Bristande attest" not in page.content.decode()
        response = self.get(reverse("plans:detail", args=[self.draft.pk]) + "?changes=1")
        content = response.content.decode()
        assert [(c.how, c.what, c.title) for c in response.context["changes"]] == [
            ("changed", "risk", "Ny rubrik"),
            ("added", "risk", "Tillkommen risk"),
        ]
        assert "Bristande attest" in content  # the old title, in the change list

    def test_the_plan_page_says_when_nothing_changed(self) -> None:
        response = self.get(reverse("plans:detail", args=[self.draft.pk]) + "?changes=1")
        assert response.context["latest_version"] == self.version
        assert response.context["changes"] == []

    @time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC), tick=False)
    def test_deciding_an_assessment_stores_a_snapshot_of_it(self) -> None:
        save_assessment(
            self.draft,
            verdict="sufficient",
            decided_on=datetime.date(2026, 2, 10),
            analysis="Bra.",
            acting_user=self.coordinator,
            version=ANY_VERSION,
        )
        version = AdoptedVersion.objects.get(plan=self.draft, kind="assessment")
        assessment = version.snapshot["plans"][0]["assessment"]
        assert assessment == {
            "verdict": "sufficient",
            "decided_on": "2026-02-10",
            "analysis": "Bra.",
        }

    def test_an_assessment_without_a_decision_date_stores_no_snapshot(self) -> None:
        save_assessment(
            self.draft,
            verdict="sufficient",
            decided_on=None,
            analysis="",
            acting_user=self.admin,
            version=ANY_VERSION,
        )
        assert not AdoptedVersion.objects.filter(kind="assessment").exists()

    def test_an_adopted_version_records_its_history(self) -> None:
        assert self.version.history.get().history_user == self.coordinator

    def test_a_reader_may_view_versions_of_plans_they_may_read(self) -> None:
        assert self.get(url(self.version), self.reader).status_code == 200
        assert self.get(url(self.version), self.auditor).status_code == 200

    def test_it_redirects_anonymous_users_to_login(self) -> None:
        response = self.client.get(url(self.version))
        assert response.status_code == 302
        assert "/konto/logga-in/" in response.url

    def test_it_rejects_post(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.post(url(self.version)).status_code == 405

    def test_another_organisation_gets_404(self) -> None:
        assert self.get(url(self.version), self.outsider).status_code == 404
        assert self.get(url(self.version, "?format=json"), self.outsider).status_code == 404

    def test_the_number_of_queries_does_not_grow_with_the_plan(self) -> None:
        for number in range(40):
            risk = make_risk(self.draft, f"x-{number}", handling=["review"])
            ControlActivity.objects.create(risk=risk, external_id=f"k-x-{number}", title="K")
        adopt_plan(
            self.draft,
            adopted_on=datetime.date(2025, 8, 30),
            reference="SN-2025/302",
            acting_user=self.coordinator,
            version=ANY_VERSION,
        )
        large = AdoptedVersion.objects.get(reference="SN-2025/302")
        self.client.force_login(self.coordinator)
        self.client.get(url(self.version))
        with CaptureQueriesContext(connection) as small:
            self.client.get(url(self.version))
        with self.assertNumQueries(len(small)):
            response = self.client.get(url(large))
        assert len(response.context["risks"]) == 41

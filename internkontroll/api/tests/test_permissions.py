"""Every API operation, every role: each gets exactly what the pages give them.

The lists are compared by content with what each person finds on the pages; the single
items and the writes by status with the page that shows or changes the same thing (from
the project's permission matrix). A token of another organisation reads nothing here.
"""

from __future__ import annotations

import datetime
import tempfile
from typing import Any

import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings

from internkontroll.api.api import api
from internkontroll.api.tests.helpers import PERSONAS, ApiTestCase
from internkontroll.followups.models import Evidence, FollowUp
from internkontroll.organisation.models import Organisation, Period, Process, RiskArea, Unit
from internkontroll.tests.test_permission_matrix import EXPECTED

ROLES = ("anonymous", *PERSONAS)

# What each list holds for each person, by the cast's names: what their pages show them.
# sn: Socialnämnden (sf, sf-vux, sf-barn below); bn: the other committee; other_*: Grannkommun.
SN_ONLY = {"coordinator", "auditor", "admin", "reader"}
LISTS: dict[str, dict[str, set[str]]] = {
    "/risks": {
        "admin": {"sn_risk", "bn_risk"},
        "reader": {"sn_risk", "bn_risk"},
        "coordinator": {"sn_risk"},
        "auditor": {"sn_risk"},
        # Below the committee: the risk their unit (Vuxenenheten) identified.
        "responsible": {"sn_risk"},
        "outsider": {"other_risk"},
    },
    "/plans": {
        "admin": {"sn_plan", "bn_plan"},
        "reader": {"sn_plan", "bn_plan"},
        "coordinator": {"sn_plan"},
        "auditor": {"sn_plan"},
        "responsible": {"sn_plan"},
        "outsider": {"other_plan"},
    },
    "/actions": {persona: {"sn_action"} for persona in (*SN_ONLY, "responsible")},
    "/control-activities": {persona: {"sn_activity"} for persona in (*SN_ONLY, "responsible")},
    "/follow-ups": {persona: {"sn_follow_up"} for persona in (*SN_ONLY, "responsible")},
    "/adopted-versions": {persona: {"adopted_version"} for persona in (*SN_ONLY, "responsible")},
    # The committee's assessment and the auditors' reports are whole-plan content.
    "/assessments": {persona: {"sn_assessment"} for persona in SN_ONLY},
    "/audit-reports": {persona: {"sn_report"} for persona in SN_ONLY},
    "/recommendations": {persona: {"sn_recommendation"} for persona in SN_ONLY},
    "/goals": {persona: {"goal"} for persona in SN_ONLY},
    "/units": {
        "admin": {"ks", "sn", "sf", "sf_vux", "sf_barn", "bn", "bf"},
        "reader": {"ks", "sn", "sf", "sf_vux", "sf_barn", "bn", "bf"},
        "coordinator": {"sn", "sf", "sf_vux", "sf_barn"},
        "auditor": {"sn", "sf", "sf_vux", "sf_barn"},
        "responsible": {"sf_vux"},
        "outsider": {"other_committee"},
    },
    "/organisations": {
        **{persona: {"organisation"} for persona in (*SN_ONLY, "responsible")},
        "outsider": {"other_organisation"},
    },
}
# Organisation settings: everyone with a role in the organisation reads them all.
SETTINGS = {"/periods": Period, "/matrices": None, "/processes": Process, "/risk-areas": RiskArea}

# The page that shows (GET) or changes (POST) the same thing as each operation.
SAME_AS_PAGE: dict[tuple[str, str], tuple[str, str]] = {
    ("GET", "/risks/{id}"): ("risks:detail", "GET"),
    ("PATCH", "/risks/{id}"): ("risks:edit", "POST"),
    ("POST", "/risks"): ("risks:create", "POST"),
    ("GET", "/actions/{id}"): ("risks:detail", "GET"),
    ("POST", "/actions"): ("risks:action_create", "POST"),
    ("PATCH", "/actions/{id}"): ("risks:action_edit", "POST"),
    ("GET", "/control-activities/{id}"): ("risks:detail", "GET"),
    ("POST", "/control-activities"): ("controls:create", "POST"),
    ("PATCH", "/control-activities/{id}"): ("controls:edit", "POST"),
    ("GET", "/follow-ups/{id}"): ("risks:detail", "GET"),
    ("GET", "/evidence/{id}/content"): ("followups:evidence", "GET"),
    ("POST", "/actions/{id}/follow-ups"): ("followups:report_action", "POST"),
    ("POST", "/control-activities/{id}/follow-ups"): (
        "followups:report_control_activity",
        "POST",
    ),
    ("POST", "/risks/{id}/follow-ups"): ("followups:report_risk", "POST"),
    ("POST", "/recommendations/{id}/follow-ups"): ("audits:recommendation_follow_up", "POST"),
    ("GET", "/plans/{id}"): ("plans:detail", "GET"),
    ("GET", "/adopted-versions/{id}"): ("plans:version", "GET"),
    ("GET", "/audit-reports/{id}"): ("audits:detail", "GET"),
    ("GET", "/recommendations/{id}"): ("audits:detail", "GET"),
    ("POST", "/audit-reports"): ("audits:create", "POST"),
    ("PATCH", "/audit-reports/{id}"): ("audits:edit", "POST"),
    ("POST", "/audit-reports/{id}/recommendations"): ("audits:recommendation_create", "POST"),
    ("PATCH", "/recommendations/{id}"): ("audits:recommendation_edit", "POST"),
    ("POST", "/units"): ("organisation:unit_create", "POST"),
    ("PATCH", "/units/{id}"): ("organisation:unit_edit", "POST"),
    ("POST", "/goals"): ("organisation:goal_create", "POST"),
    ("PATCH", "/goals/{id}"): ("organisation:goal_edit", "POST"),
    ("POST", "/processes"): ("organisation:process_create", "POST"),
    ("PATCH", "/processes/{id}"): ("organisation:process_edit", "POST"),
    ("POST", "/risk-areas"): ("organisation:risk_area_create", "POST"),
    ("PATCH", "/risk-areas/{id}"): ("organisation:risk_area_edit", "POST"),
    ("POST", "/plans"): ("plans:create", "POST"),
    ("POST", "/plans/{id}/adoption"): ("plans:adopt", "POST"),
    ("PUT", "/plans/{id}/assessment"): ("plans:assessment", "POST"),
}
# Operations without a page of their own: the status each role gets, in ROLES order.
OWN: dict[tuple[str, str], str] = {
    # The assessment is shown on the plan page only to those who read the whole plan; for the
    # others it does not exist (as an adopted version's assessment is cut from their excerpt).
    ("GET", "/assessments/{id}"): "401 200 200 404 200 200 404",
    ("GET", "/goals/{id}"): "401 200 200 404 200 200 404",
    # sn, the committee: the responsible person's role covers only Vuxenenheten below it.
    ("GET", "/units/{id}"): "401 200 200 404 200 200 404",
    ("GET", "/organisations/{id}"): "401 200 200 200 200 200 404",
    ("GET", "/periods/{id}"): "401 200 200 200 200 200 404",
    ("GET", "/matrices/{id}"): "401 200 200 200 200 200 404",
    ("GET", "/processes/{id}"): "401 200 200 200 200 200 404",
    ("GET", "/risk-areas/{id}"): "401 200 200 200 200 200 404",
}
LIST_STATUSES = "401 200 200 200 200 200 200"
PDF = b"%PDF-1.4\n%%EOF\n"


def as_api(page: str, method: str) -> str:
    """A page's outcome as the API's: a login redirect is 401; a saved form is 201 or 200."""
    if page == "login":
        return "401"
    if page in ("200", "302"):
        return {"GET": "200", "POST": "201", "PATCH": "200", "PUT": "200"}[method]
    return page


@time_machine.travel(datetime.datetime(2025, 9, 10, 10, tzinfo=datetime.UTC), tick=False)
class ApiPermissionTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.process = Process.objects.create(organisation=cls.organisation, name="Utbetalning")
        cls.risk_area = RiskArea.objects.create(organisation=cls.organisation, name="Ekonomi")
        media = cls.enterClassContext(tempfile.TemporaryDirectory())
        cls.enterClassContext(override_settings(MEDIA_ROOT=media))
        cls.evidence = Evidence.objects.create(
            follow_up=cls.sn_follow_up,
            file=ContentFile(PDF, name="protokoll.pdf"),
            name="protokoll.pdf",
            content_type="application/pdf",
            size=len(PDF),
            uploaded_by=cls.coordinator,
        )

    def operations(self) -> list[tuple[str, str]]:
        schema = api.get_openapi_schema()
        return sorted(
            (method.upper(), path.removeprefix("/api"))
            for path, operations in schema["paths"].items()
            for method in operations
        )

    def requests(self) -> dict[tuple[str, str], tuple[str, dict[str, Any] | None]]:
        """For each operation with an id: the concrete path and a valid body, on sn's objects."""
        period = self.organisation.periods.get(code="T2").pk
        follow_up = {"period": period, "date": "2025-09-05", "comment": "Klart enligt plan."}
        return {
            ("GET", "/risks/{id}"): (f"/risks/{self.sn_risk.pk}", None),
            ("PATCH", "/risks/{id}"): (f"/risks/{self.sn_risk.pk}", {"title": "Ändrad"}),
            ("POST", "/risks"): ("/risks", {"plan": self.sn_plan.pk, "title": "Ny risk"}),
            ("GET", "/actions/{id}"): (f"/actions/{self.sn_action.pk}", None),
            ("POST", "/actions"): ("/actions", {"risk": self.sn_risk.pk, "title": "Ny åtgärd"}),
            ("PATCH", "/actions/{id}"): (f"/actions/{self.sn_action.pk}", {"title": "Ändrad"}),
            ("GET", "/control-activities/{id}"): (
                f"/control-activities/{self.sn_activity.pk}",
                None,
            ),
            ("POST", "/control-activities"): (
                "/control-activities",
                {"risk": self.sn_risk.pk, "title": "Ny kontroll", "method": "sample"},
            ),
            ("PATCH", "/control-activities/{id}"): (
                f"/control-activities/{self.sn_activity.pk}",
                {"title": "Ändrad"},
            ),
            ("GET", "/follow-ups/{id}"): (f"/follow-ups/{self.sn_follow_up.pk}", None),
            ("GET", "/evidence/{id}/content"): (f"/evidence/{self.evidence.pk}/content", None),
            ("POST", "/actions/{id}/follow-ups"): (
                f"/actions/{self.sn_action.pk}/follow-ups",
                {**follow_up, "status": "done"},
            ),
            ("POST", "/control-activities/{id}/follow-ups"): (
                f"/control-activities/{self.sn_activity.pk}/follow-ups",
                {**follow_up, "result": "no_remarks"},
            ),
            ("POST", "/risks/{id}/follow-ups"): (
                f"/risks/{self.sn_risk.pk}/follow-ups",
                {**follow_up, "on_track": False},
            ),
            ("POST", "/recommendations/{id}/follow-ups"): (
                f"/recommendations/{self.sn_recommendation.pk}/follow-ups",
                {"date": "2025-09-05", "status": "done", "comment": "Anvisningen är antagen."},
            ),
            ("GET", "/plans/{id}"): (f"/plans/{self.sn_plan.pk}", None),
            ("GET", "/adopted-versions/{id}"): (
                f"/adopted-versions/{self.adopted_version.pk}",
                None,
            ),
            ("GET", "/audit-reports/{id}"): (f"/audit-reports/{self.sn_report.pk}", None),
            ("GET", "/recommendations/{id}"): (
                f"/recommendations/{self.sn_recommendation.pk}",
                None,
            ),
            ("POST", "/audit-reports"): (
                "/audit-reports",
                {"committee": self.sn.pk, "title": "Ny granskning", "date": "2025-09-01"},
            ),
            ("PATCH", "/audit-reports/{id}"): (
                f"/audit-reports/{self.sn_report.pk}",
                # The report has no date yet, and a report needs one (as on the page).
                {"title": "Ändrad granskning", "date": "2025-09-01"},
            ),
            ("POST", "/audit-reports/{id}/recommendations"): (
                f"/audit-reports/{self.sn_report.pk}/recommendations",
                {"text": "Inför en rutin."},
            ),
            ("PATCH", "/recommendations/{id}"): (
                f"/recommendations/{self.sn_recommendation.pk}",
                {"response": "Nämnden instämmer."},
            ),
            ("GET", "/assessments/{id}"): (f"/assessments/{self.sn_assessment.pk}", None),
            ("GET", "/goals/{id}"): (f"/goals/{self.goal.pk}", None),
            ("GET", "/units/{id}"): (f"/units/{self.sn.pk}", None),
            ("GET", "/organisations/{id}"): (f"/organisations/{self.organisation.pk}", None),
            ("GET", "/periods/{id}"): (f"/periods/{period}", None),
            ("GET", "/matrices/{id}"): (
                f"/matrices/{self.organisation.current_risk_matrix().pk}",
                None,
            ),
            ("GET", "/processes/{id}"): (f"/processes/{self.process.pk}", None),
            ("GET", "/risk-areas/{id}"): (f"/risk-areas/{self.risk_area.pk}", None),
            ("POST", "/units"): (
                "/units",
                {"name": "Äldreenheten", "kind": "unit", "parent": self.sf.pk},
            ),
            ("PATCH", "/units/{id}"): (f"/units/{self.sn.pk}", {"name": "Socialnämnden"}),
            ("POST", "/goals"): (
                "/goals",
                {"external_id": "2.1", "title": "Nytt mål", "unit": self.sn.pk},
            ),
            ("PATCH", "/goals/{id}"): (f"/goals/{self.goal.pk}", {"title": "Ändrat mål"}),
            ("POST", "/processes"): ("/processes", {"name": "Inköp"}),
            ("PATCH", "/processes/{id}"): (f"/processes/{self.process.pk}", {"name": "Inköp"}),
            ("POST", "/risk-areas"): ("/risk-areas", {"name": "Personal"}),
            ("PATCH", "/risk-areas/{id}"): (
                f"/risk-areas/{self.risk_area.pk}",
                {"name": "Personal"},
            ),
            ("POST", "/plans"): ("/plans", {"committee": self.sn.pk, "year": 2026}),
            ("POST", "/plans/{id}/adoption"): (
                f"/plans/{self.sn_plan.pk}/adoption",
                {"adopted_on": "2025-09-01", "reference": "SN-2025/12"},
            ),
            ("PUT", "/plans/{id}/assessment"): (
                f"/plans/{self.sn_plan.pk}/assessment",
                {"verdict": "sufficient", "analysis": "Kontrollerna fungerade."},
            ),
        }

    def expected(self, operation: tuple[str, str]) -> list[str]:
        if operation in SAME_AS_PAGE:
            name, page_method = SAME_AS_PAGE[operation]
            page = EXPECTED[name][0 if page_method == "GET" else 1].split()
            return [as_api(outcome, operation[0]) for outcome in page]
        if operation in OWN:
            return OWN[operation].split()
        return LIST_STATUSES.split()

    def outcome(self, role: str, operation: tuple[str, str]) -> str:
        path, body = self.requests().get(operation, (operation[1], None))
        with transaction.atomic():
            response = self.call(
                None if role == "anonymous" else role,
                operation[0],
                path,
                body,
                **({"If-Match": '"v1"'} if operation[0] != "GET" else {}),
            )
            transaction.set_rollback(True)
        return str(response.status_code)

    def test_every_operation_is_in_the_table(self) -> None:
        lists = {("GET", path) for path in LISTS} | {("GET", path) for path in SETTINGS}
        known = set(SAME_AS_PAGE) | set(OWN) | lists
        assert sorted(set(self.operations()) - known) == []
        assert sorted(known - set(self.operations())) == []

    def test_every_role_gets_the_status_its_pages_get_for_every_operation(self) -> None:
        differences = []
        for operation in self.operations():
            want = self.expected(operation)
            got = [self.outcome(role, operation) for role in ROLES]
            if want != got:
                differences.append(f"{operation}: expected {' '.join(want)}, got {' '.join(got)}")
        assert not differences, "\n".join(differences)

    def test_every_list_holds_for_each_person_what_their_pages_show(self) -> None:
        differences = []
        for path, table in LISTS.items():
            for persona in PERSONAS:
                want = {getattr(self, name).pk for name in table.get(persona, set())}
                got = self.ids(persona, path)
                if want != got:
                    differences.append(f"{path} as {persona}: expected {want}, got {got}")
        assert not differences, "\n".join(differences)

    def test_the_organisation_settings_are_read_by_everyone_in_the_organisation(self) -> None:
        for path in SETTINGS:
            ours = self.ids("responsible", path)
            assert ours
            assert ours == self.ids("reader", path) == self.ids("admin", path)
            assert not ours & self.ids("outsider", path)

    def test_a_token_of_another_organisation_reads_nothing_of_this_one(self) -> None:
        ours = Organisation.objects.filter(pk=self.organisation.pk)
        for path in [*LISTS, *SETTINGS]:
            response = self.call("outsider", "GET", path)
            for item in response.json()["items"]:
                assert item.get("organisation") not in ours.values_list("pk", flat=True), path
        assert self.ids("outsider", "/units") == {self.other_committee.pk}
        assert Unit.objects.filter(organisation=self.organisation).exists()

    def test_the_person_below_the_committee_reads_the_plan_as_an_excerpt(self) -> None:
        plan = self.call("responsible", "GET", f"/plans/{self.sn_plan.pk}").json()
        assert plan["whole"] is False
        assert self.call("coordinator", "GET", f"/plans/{self.sn_plan.pk}").json()["whole"]
        version = self.call(
            "responsible", "GET", f"/adopted-versions/{self.adopted_version.pk}"
        ).json()
        assert "assessment" not in version["snapshot"]["plans"][0]

    def test_a_write_by_the_person_below_the_committee_leaves_nothing(self) -> None:
        before = FollowUp.objects.count()
        path, body = self.requests()[("POST", "/risks/{id}/follow-ups")]
        response = self.call("responsible", "POST", path, body, **{"If-Match": '"v1"'})
        assert response.status_code == 403
        assert response["Content-Type"] == "application/problem+json"
        assert FollowUp.objects.count() == before

    def test_a_report_with_evidence_files_is_for_the_roles_the_report_page_allows(self) -> None:
        """The multipart form with a file: the same outcome per role as the page's POST."""
        for operation, page in (
            (("POST", "/actions/{id}/follow-ups"), "followups:report_action"),
            (("POST", "/control-activities/{id}/follow-ups"), "followups:report_control_activity"),
        ):
            path, body = self.requests()[operation]
            want = [as_api(outcome, "POST") for outcome in EXPECTED[page][1].split()]
            got = []
            for role in ROLES:
                headers = {"If-Match": '"v1"'}
                if role != "anonymous":
                    headers["Authorization"] = f"Bearer {self.keys[role]}"
                fields = {**(body or {}), "evidence": [SimpleUploadedFile("underlag.pdf", PDF)]}
                with transaction.atomic():
                    response = Client().post(f"/api{path}", fields, headers=headers)
                    transaction.set_rollback(True)
                got.append(str(response.status_code))
            assert got == want, operation

"""Writes on the organisation's settings (units, processes, risk areas) and on plans (creation,
adoption, the committee's assessment): the pages' forms and actions, If-Match, history under
the token's user and problems in Swedish."""

from __future__ import annotations

import datetime

import time_machine

from internkontroll.api.tests.helpers import ApiTestCase
from internkontroll.organisation.models import Process, RiskArea, Unit
from internkontroll.plans.models import AdoptedVersion, Assessment, ControlPlan

V1 = {"If-Match": '"v1"'}


@time_machine.travel(datetime.datetime(2025, 9, 10, 10, tzinfo=datetime.UTC), tick=False)
class SettingsWriteTests(ApiTestCase):
    def test_the_administrator_adds_a_unit_recorded_under_the_token_user(self) -> None:
        body = {"name": "Äldreenheten", "kind": "unit", "parent": self.sf.pk}
        response = self.call("admin", "POST", "/units", body)
        assert response.status_code == 201, response.content
        assert response["ETag"] == '"v1"'
        unit = Unit.objects.get(pk=response.json()["id"])
        assert (unit.name, unit.parent_id, unit.organisation_id) == (
            "Äldreenheten",
            self.sf.pk,
            self.organisation.pk,
        )
        assert unit.history.first().history_user == self.admin

    def test_a_coordinator_may_not_add_a_unit_and_nothing_is_written(self) -> None:
        before = Unit.objects.count()
        response = self.call("coordinator", "POST", "/units", {"name": "Ny", "kind": "unit"})
        assert response.status_code == 403
        assert response["Content-Type"] == "application/problem+json"
        assert Unit.objects.count() == before

    def test_a_unit_cannot_be_placed_below_itself(self) -> None:
        response = self.call("admin", "PATCH", f"/units/{self.sn.pk}", {"parent": self.sf.pk}, **V1)
        assert response.status_code == 422
        assert response.json()["detail"] == "Inget sparades; se felen."
        assert Unit.objects.get(pk=self.sn.pk).parent_id != self.sf.pk

    def test_a_stale_unit_change_is_412(self) -> None:
        Unit.objects.filter(pk=self.sn.pk).update(version=2)
        response = self.call("admin", "PATCH", f"/units/{self.sn.pk}", {"name": "SN"}, **V1)
        assert response.status_code == 412
        assert Unit.objects.get(pk=self.sn.pk).name != "SN"

    def test_a_process_name_taken_in_another_case_is_refused_naming_the_field(self) -> None:
        Process.objects.create(organisation=self.organisation, name="Inköp")
        response = self.call("admin", "POST", "/processes", {"name": "INKÖP"})
        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert error["field"] == "name"
        assert "Inköp" in error["message"] or "INKÖP" in error["message"]
        assert Process.objects.filter(organisation=self.organisation).count() == 1

    def test_the_administrator_renames_a_risk_area(self) -> None:
        area = RiskArea.objects.create(organisation=self.organisation, name="Ekonomi")
        response = self.call(
            "admin", "PATCH", f"/risk-areas/{area.pk}", {"name": "Ekonomi och  upphandling"}, **V1
        )
        assert response.status_code == 200, response.content
        assert response.json()["name"] == "Ekonomi och upphandling"
        assert response["ETag"] == '"v2"'
        area.refresh_from_db()
        assert area.history.first().history_user == self.admin

    def test_a_reader_may_not_rename_a_risk_area(self) -> None:
        area = RiskArea.objects.create(organisation=self.organisation, name="Ekonomi")
        response = self.call("reader", "PATCH", f"/risk-areas/{area.pk}", {"name": "X"}, **V1)
        assert response.status_code == 403
        assert RiskArea.objects.get(pk=area.pk).name == "Ekonomi"


@time_machine.travel(datetime.datetime(2025, 9, 10, 10, tzinfo=datetime.UTC), tick=False)
class PlanWriteTests(ApiTestCase):
    def test_the_coordinator_makes_a_plan_for_the_next_year(self) -> None:
        body = {"committee": self.sn.pk, "year": 2026, "reference": "SN-2025/40"}
        response = self.call("coordinator", "POST", "/plans", body)
        assert response.status_code == 201, response.content
        data = response.json()
        assert (data["committee"], data["year"], data["status"]) == (self.sn.pk, 2026, "draft")
        plan = ControlPlan.objects.get(pk=data["id"])
        assert plan.history.first().history_user == self.coordinator

    def test_a_year_the_committee_has_a_plan_for_is_refused_on_year(self) -> None:
        body = {"committee": self.sn.pk, "year": self.sn_plan.year}
        response = self.call("coordinator", "POST", "/plans", body)
        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert error["field"] == "year"
        assert "Socialnämnden" in error["message"]

    def test_a_committee_the_caller_does_not_keep_is_refused_on_committee(self) -> None:
        response = self.call(
            "coordinator", "POST", "/plans", {"committee": self.bn.pk, "year": 2026}
        )
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["committee"]
        assert not ControlPlan.objects.filter(unit=self.bn, year=2026).exists()

    def test_the_person_below_the_committee_may_not_make_a_plan(self) -> None:
        body = {"committee": self.sn.pk, "year": 2026}
        assert self.call("responsible", "POST", "/plans", body).status_code == 403
        assert not ControlPlan.objects.filter(unit=self.sn, year=2026).exists()

    def test_adoption_records_the_decision_and_an_adopted_version(self) -> None:
        before = AdoptedVersion.objects.filter(plan=self.sn_plan).count()
        version = {"If-Match": f'"v{self.sn_plan.version}"'}
        body = {"adopted_on": "2025-09-01", "reference": "SN-2025/12"}
        response = self.call(
            "coordinator", "POST", f"/plans/{self.sn_plan.pk}/adoption", body, **version
        )
        assert response.status_code == 201, response.content
        assert response.json()["reference"] == "SN-2025/12"
        plan = ControlPlan.objects.get(pk=self.sn_plan.pk)
        assert plan.adopted_on == datetime.date(2025, 9, 1)
        assert plan.history.first().history_user == self.coordinator
        assert AdoptedVersion.objects.filter(plan=self.sn_plan).count() == before + 1

    def test_adoption_without_if_match_is_428_and_records_nothing(self) -> None:
        body = {"adopted_on": "2025-09-01", "reference": "SN-2025/12"}
        response = self.call("coordinator", "POST", f"/plans/{self.sn_plan.pk}/adoption", body)
        assert response.status_code == 428
        assert ControlPlan.objects.get(pk=self.sn_plan.pk).reference != "SN-2025/12"

    def test_the_assessment_is_saved_under_the_token_user(self) -> None:
        body = {"verdict": "partly_sufficient", "analysis": "Två kontroller gjordes inte."}
        version = {"If-Match": f'"v{self.sn_assessment.version}"'}
        path = f"/plans/{self.sn_plan.pk}/assessment"
        response = self.call("coordinator", "PUT", path, body, **version)
        assert response.status_code == 200, response.content
        assessment = Assessment.objects.get(plan=self.sn_plan)
        assert assessment.verdict == "partly_sufficient"
        assert assessment.history.first().history_user == self.coordinator
        assert response["ETag"] == f'"v{assessment.version}"'

    def test_a_stale_assessment_is_412(self) -> None:
        Assessment.objects.filter(pk=self.sn_assessment.pk).update(version=7)
        body = {"verdict": "insufficient", "analysis": "Nej."}
        path = f"/plans/{self.sn_plan.pk}/assessment"
        assert self.call("coordinator", "PUT", path, body, **V1).status_code == 412
        assert Assessment.objects.get(pk=self.sn_assessment.pk).verdict == "sufficient"

    def test_the_first_assessment_needs_no_if_match(self) -> None:
        Assessment.objects.filter(pk=self.sn_assessment.pk).delete()
        body = {"verdict": "sufficient", "analysis": "Kontrollerna fungerade."}
        response = self.call("coordinator", "PUT", f"/plans/{self.sn_plan.pk}/assessment", body)
        assert response.status_code == 200, response.content
        assert Assessment.objects.get(plan=self.sn_plan).analysis == "Kontrollerna fungerade."

    def test_the_person_below_the_committee_may_not_assess(self) -> None:
        body = {"verdict": "insufficient", "analysis": "Nej."}
        path = f"/plans/{self.sn_plan.pk}/assessment"
        assert self.call("responsible", "PUT", path, body, **V1).status_code == 403
        assert Assessment.objects.get(pk=self.sn_assessment.pk).verdict == "sufficient"

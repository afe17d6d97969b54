"""Writes through the API: the page's form and action, If-Match, history under the token's
user, and problems in Swedish that say what is wrong and where."""

from __future__ import annotations

import datetime

import time_machine

from internkontroll.api.tests.helpers import ApiTestCase
from internkontroll.audits.models import AuditReport
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.risks.models import Action, Risk

V1 = {"If-Match": '"v1"'}


@time_machine.travel(datetime.datetime(2025, 9, 10, 10, tzinfo=datetime.UTC), tick=False)
class RiskWriteTests(ApiTestCase):
    def test_it_changes_only_the_fields_given_and_records_the_token_user(self) -> None:
        response = self.call(
            "coordinator",
            "PATCH",
            f"/risks/{self.sn_risk.pk}",
            {"title": "Felaktiga utbetalningar av bistånd", "probability": 4, "area": "Ekonomi"},
            **V1,
        )
        assert response.status_code == 200, response.content
        assert response["ETag"] == '"v2"'
        risk = Risk.objects.get(pk=self.sn_risk.pk)
        assert risk.title == "Felaktiga utbetalningar av bistånd"
        assert (risk.probability, risk.consequence) == (4, 3)
        assert risk.area is not None and risk.area.name == "Ekonomi"
        assert risk.handling == ["mitigate", "review"]
        assert risk.unit_id == self.sf_vux.pk
        assert risk.history.first().history_user == self.coordinator
        assert response.json()["level"] == risk.level.name

    def test_a_stale_if_match_is_412_and_nothing_is_written(self) -> None:
        Risk.objects.filter(pk=self.sn_risk.pk).update(version=2)
        response = self.call(
            "coordinator", "PATCH", f"/risks/{self.sn_risk.pk}", {"title": "Ny"}, **V1
        )
        assert response.status_code == 412
        assert response["Content-Type"] == "application/problem+json"
        assert "If-Match" in response.json()["detail"]
        assert Risk.objects.get(pk=self.sn_risk.pk).title == "Felaktiga utbetalningar"

    def test_a_change_without_if_match_is_428(self) -> None:
        response = self.call("coordinator", "PATCH", f"/risks/{self.sn_risk.pk}", {"title": "Ny"})
        assert response.status_code == 428
        assert response.json()["title"] == "Version saknas"

    def test_an_if_match_that_names_no_version_is_412(self) -> None:
        response = self.call(
            "coordinator",
            "PATCH",
            f"/risks/{self.sn_risk.pk}",
            {"title": "Ny"},
            **{"If-Match": "W/abc"},
        )
        assert response.status_code == 412

    def test_a_cell_outside_the_matrix_is_refused_naming_the_field(self) -> None:
        response = self.call(
            "coordinator",
            "POST",
            "/risks",
            {"plan": self.sn_plan.pk, "title": "Ny", "probability": 5, "consequence": 1},
        )
        assert response.status_code == 422
        problem = response.json()
        assert [error["field"] for error in problem["errors"]] == ["probability"]
        assert problem["detail"] == "Inget sparades; se felen."
        assert not Risk.objects.filter(title="Ny").exists()

    def test_probability_without_consequence_is_refused(self) -> None:
        response = self.call(
            "coordinator",
            "PATCH",
            f"/risks/{self.sn_risk.pk}",
            {"consequence": None},
            **V1,
        )
        assert response.status_code == 422
        assert response.json()["errors"] == [
            {
                "field": "consequence",
                "message": "Ange både sannolikhet och konsekvens, eller ingen av dem.",
            }
        ]

    def test_a_unit_outside_the_committee_is_refused_as_on_the_page(self) -> None:
        response = self.call(
            "coordinator", "PATCH", f"/risks/{self.sn_risk.pk}", {"unit": self.bf.pk}, **V1
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "unit"

    def test_it_creates_a_risk_with_the_next_identifier(self) -> None:
        response = self.call(
            "coordinator",
            "POST",
            "/risks",
            {"plan": self.sn_plan.pk, "title": "Ny risk", "handling": ["accept"], "unit": None},
        )
        assert response.status_code == 201, response.content
        created = response.json()
        assert created["external_id"] == "r-2"
        assert response["ETag"] == '"v1"'
        risk = Risk.objects.get(pk=created["id"])
        assert risk.history.get().history_user == self.coordinator

    def test_an_unknown_field_is_refused(self) -> None:
        response = self.call(
            "coordinator", "PATCH", f"/risks/{self.sn_risk.pk}", {"score": 9}, **V1
        )
        assert response.status_code == 422
        assert response.json()["errors"] == [
            {"field": "body.score", "message": "Fältet finns inte."}
        ]


@time_machine.travel(datetime.datetime(2025, 9, 10, 10, tzinfo=datetime.UTC), tick=False)
class ActionAndActivityWriteTests(ApiTestCase):
    def test_it_creates_and_changes_an_action(self) -> None:
        response = self.call(
            "coordinator",
            "POST",
            "/actions",
            {"risk": self.sn_risk.pk, "title": "Utbilda handläggare", "due_date": "2025-11-30"},
        )
        assert response.status_code == 201, response.content
        action = Action.objects.get(pk=response.json()["id"])
        assert action.status == "not_started"
        response = self.call(
            "coordinator",
            "PATCH",
            f"/actions/{action.pk}",
            {"status": "in_progress", "assignee": self.responsible.pk},
            **V1,
        )
        assert response.status_code == 200, response.content
        action.refresh_from_db()
        assert (action.status, action.assignee) == ("in_progress", self.responsible)
        assert action.title == "Utbilda handläggare"

    def test_an_assignee_who_cannot_see_the_risk_is_refused(self) -> None:
        response = self.call(
            "coordinator",
            "PATCH",
            f"/actions/{self.sn_action.pk}",
            {"assignee": self.outsider.pk},
            **V1,
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "assignee"

    def test_a_due_date_far_from_the_plans_year_is_refused(self) -> None:
        response = self.call(
            "coordinator",
            "PATCH",
            f"/actions/{self.sn_action.pk}",
            {"due_date": "2040-01-01"},
            **V1,
        )
        assert response.status_code == 422
        assert "2024" in response.json()["errors"][0]["message"]

    def test_it_creates_a_control_activity_reported_in_periods(self) -> None:
        periods = list(self.organisation.periods.values_list("pk", flat=True)[:2])
        response = self.call(
            "coordinator",
            "POST",
            "/control-activities",
            {
                "risk": self.sn_risk.pk,
                "title": "Stickprov",
                "method": "sample",
                "frequency": "per_period",
                "periods": periods,
            },
        )
        assert response.status_code == 201, response.content
        activity = ControlActivity.objects.get(pk=response.json()["id"])
        assert sorted(activity.periods.values_list("pk", flat=True)) == sorted(periods)
        assert response.json()["periods"] == sorted(periods)

    def test_a_period_of_another_organisation_is_refused(self) -> None:
        foreign = self.other_organisation.periods.first()
        response = self.call(
            "coordinator",
            "PATCH",
            f"/control-activities/{self.sn_activity.pk}",
            {"periods": [foreign.pk]},
            **V1,
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "periods"


@time_machine.travel(datetime.datetime(2025, 9, 10, 10, tzinfo=datetime.UTC), tick=False)
class FollowUpWriteTests(ApiTestCase):
    def body(self, **values: object) -> dict[str, object]:
        period = self.organisation.periods.get(code="T2").pk
        return {"period": period, "date": "2025-09-05", "comment": "Klart.", **values}

    def test_the_assigned_person_reports_and_the_action_takes_the_status(self) -> None:
        response = self.call(
            "responsible",
            "POST",
            f"/actions/{self.sn_action.pk}/follow-ups",
            self.body(status="done"),
            **V1,
        )
        assert response.status_code == 201, response.content
        follow_up = FollowUp.objects.get(pk=response.json()["id"])
        assert follow_up.history.get().history_user == self.responsible
        assert follow_up.reported_for is None
        action = Action.objects.get(pk=self.sn_action.pk)
        assert (action.status, action.version) == ("done", 2)

    def test_a_coordinator_reports_on_behalf_of_the_assigned_person(self) -> None:
        response = self.call(
            "coordinator",
            "POST",
            f"/actions/{self.sn_action.pk}/follow-ups",
            self.body(status="in_progress"),
            **V1,
        )
        assert response.status_code == 201
        assert response.json()["reported_for"] == self.responsible.pk

    def test_a_follow_up_on_a_stale_version_is_412(self) -> None:
        response = self.call(
            "responsible",
            "POST",
            f"/actions/{self.sn_action.pk}/follow-ups",
            self.body(status="done"),
            **{"If-Match": '"v7"'},
        )
        assert response.status_code == 412
        assert not FollowUp.objects.filter(comment="Klart.").exists()

    def test_a_control_result_needs_a_known_result(self) -> None:
        response = self.call(
            "coordinator",
            "POST",
            f"/control-activities/{self.sn_activity.pk}/follow-ups",
            self.body(result="kanske"),
            **V1,
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "body.result"

    def test_a_risk_follow_up_says_whether_it_follows_the_plan(self) -> None:
        response = self.call(
            "coordinator",
            "POST",
            f"/risks/{self.sn_risk.pk}/follow-ups",
            self.body(on_track=False),
            **V1,
        )
        assert response.status_code == 201, response.content
        assert response.json()["on_track"] is False

    def test_a_recommendation_follow_up_moves_its_status(self) -> None:
        response = self.call(
            "coordinator",
            "POST",
            f"/recommendations/{self.sn_recommendation.pk}/follow-ups",
            {"date": "2025-09-05", "status": "done", "comment": "Antagen."},
            **V1,
        )
        assert response.status_code == 201, response.content
        self.sn_recommendation.refresh_from_db()
        assert self.sn_recommendation.status == "done"


@time_machine.travel(datetime.datetime(2025, 9, 10, 10, tzinfo=datetime.UTC), tick=False)
class AuditWriteTests(ApiTestCase):
    def test_it_records_an_audit_report_and_a_recommendation(self) -> None:
        response = self.call(
            "coordinator",
            "POST",
            "/audit-reports",
            {"committee": self.sn.pk, "title": "Granskning av inköp", "date": "2025-09-01"},
        )
        assert response.status_code == 201, response.content
        report = AuditReport.objects.get(pk=response.json()["id"])
        assert report.external_id == "rev-2025-1"
        assert report.history.get().history_user == self.coordinator
        response = self.call(
            "coordinator",
            "POST",
            f"/audit-reports/{report.pk}/recommendations",
            {"text": "Följ inköpspolicyn."},
        )
        assert response.status_code == 201, response.content
        assert response.json()["status"] == "not_started"

    def test_it_records_the_committees_response(self) -> None:
        response = self.call(
            "coordinator",
            "PATCH",
            f"/recommendations/{self.sn_recommendation.pk}",
            {"response": "Nämnden instämmer."},
            **V1,
        )
        assert response.status_code == 200, response.content
        self.sn_recommendation.refresh_from_db()
        assert self.sn_recommendation.response == "Nämnden instämmer."
        assert self.sn_recommendation.text == "Upprätta en lokal anvisning."

    def test_a_report_for_a_committee_the_caller_does_not_write_is_refused(self) -> None:
        response = self.call(
            "coordinator",
            "POST",
            "/audit-reports",
            {"committee": self.bn.pk, "title": "Granskning", "date": "2025-09-01"},
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "committee"

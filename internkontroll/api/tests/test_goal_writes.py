"""Writes of goals: the goal pages' rule for which committees a person may set a goal for (and
whether for the whole organisation), their form and action, If-Match, history under the token's
user and problems in Swedish."""

from __future__ import annotations

import datetime

import time_machine
from django.urls import reverse

from internkontroll.api.tests.helpers import ApiTestCase
from internkontroll.organisation.models import Goal

V1 = {"If-Match": '"v1"'}


@time_machine.travel(datetime.datetime(2025, 9, 10, 10, tzinfo=datetime.UTC), tick=False)
class GoalCreateTests(ApiTestCase):
    def test_a_coordinator_sets_a_goal_for_their_committee_under_their_name(self) -> None:
        body = {"external_id": "2.1", "title": "Trygg omsorg", "unit": self.sn.pk}
        response = self.call("coordinator", "POST", "/goals", body)
        assert response.status_code == 201, response.content
        assert response["ETag"] == '"v1"'
        goal = Goal.objects.get(pk=response.json()["id"])
        assert (goal.organisation_id, goal.external_id, goal.title, goal.unit_id) == (
            self.organisation.pk,
            "2.1",
            "Trygg omsorg",
            self.sn.pk,
        )
        # Without a year, this year: what the goal page proposes.
        assert goal.year == 2025
        assert goal.history.first().history_user == self.coordinator
        assert response.json()["unit"] == self.sn.pk

    def test_a_goal_sent_with_year_null_has_no_year(self) -> None:
        body = {"external_id": "2.2", "title": "Över åren", "unit": self.sn.pk, "year": None}
        response = self.call("coordinator", "POST", "/goals", body)
        assert response.status_code == 201, response.content
        assert response.json()["year"] is None
        assert Goal.objects.get(external_id="2.2").year is None

    def test_the_goal_page_proposes_the_same_year(self) -> None:
        self.client.force_login(self.coordinator)
        page = self.client.get(reverse("organisation:goal_create"))
        assert page.context["form"]["year"].value() == 2025

    def test_an_administrator_sets_a_goal_for_the_whole_organisation(self) -> None:
        body = {"external_id": "KF-1", "title": "Hållbar kommun", "year": 2026}
        response = self.call("admin", "POST", "/goals", body)
        assert response.status_code == 201, response.content
        goal = Goal.objects.get(pk=response.json()["id"])
        assert (goal.unit_id, goal.year) == (None, 2026)

    def test_a_coordinator_of_one_committee_may_not_set_one_for_the_whole_organisation(
        self,
    ) -> None:
        before = Goal.objects.count()
        response = self.call("coordinator", "POST", "/goals", {"external_id": "2", "title": "Mål"})
        assert response.status_code == 422
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["detail"] == "Inget sparades; se felen."
        assert [error["field"] for error in response.json()["errors"]] == ["unit"]
        assert Goal.objects.count() == before

    def test_a_committee_the_coordinator_does_not_write_is_refused_naming_the_field(
        self,
    ) -> None:
        body = {"external_id": "2", "title": "Mål", "unit": self.bn.pk}
        response = self.call("coordinator", "POST", "/goals", body)
        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert error["field"] == "unit"
        assert error["message"]
        assert not Goal.objects.filter(external_id="2").exists()

    def test_an_identifier_already_used_is_refused_in_swedish(self) -> None:
        body = {"external_id": "1.1", "title": "Igen", "unit": self.sn.pk}
        response = self.call("coordinator", "POST", "/goals", body)
        assert response.status_code == 422
        assert response.json()["errors"] == [
            {"field": "external_id", "message": "Det finns redan ett mål med beteckningen ”1.1”."}
        ]
        assert Goal.objects.filter(external_id="1.1").count() == 1

    def test_the_person_below_the_committee_may_not_set_goals(self) -> None:
        before = Goal.objects.count()
        body = {"external_id": "2", "title": "Mål", "unit": self.sn.pk}
        response = self.call("responsible", "POST", "/goals", body)
        assert response.status_code == 403
        assert response["Content-Type"] == "application/problem+json"
        assert Goal.objects.count() == before

    def test_a_reader_may_not_set_goals(self) -> None:
        body = {"external_id": "2", "title": "Mål", "unit": self.sn.pk}
        assert self.call("reader", "POST", "/goals", body).status_code == 403
        assert not Goal.objects.filter(external_id="2").exists()

    def test_a_coordinator_elsewhere_sets_goals_only_in_their_own_organisation(self) -> None:
        body = {"external_id": "2", "title": "Mål", "unit": self.sn.pk}
        assert self.call("outsider", "POST", "/goals", body).status_code == 422
        body["unit"] = self.other_committee.pk
        response = self.call("outsider", "POST", "/goals", body)
        assert response.status_code == 201, response.content
        assert response.json()["organisation"] == self.other_organisation.pk


@time_machine.travel(datetime.datetime(2025, 9, 10, 10, tzinfo=datetime.UTC), tick=False)
class GoalChangeTests(ApiTestCase):
    def test_a_coordinator_changes_only_the_fields_sent(self) -> None:
        path = f"/goals/{self.goal.pk}"
        response = self.call("coordinator", "PATCH", path, {"title": "Trygg vård"}, **V1)
        assert response.status_code == 200, response.content
        assert response["ETag"] == '"v2"'
        goal = Goal.objects.get(pk=self.goal.pk)
        assert (goal.external_id, goal.title, goal.unit_id, goal.year) == (
            "1.1",
            "Trygg vård",
            self.sn.pk,
            2025,
        )
        assert goal.history.first().history_user == self.coordinator
        assert self.call("coordinator", "GET", path)["ETag"] == '"v2"'

    def test_a_coordinator_may_not_move_the_goal_to_the_whole_organisation(self) -> None:
        path = f"/goals/{self.goal.pk}"
        response = self.call("coordinator", "PATCH", path, {"unit": None}, **V1)
        assert response.status_code == 422
        assert [error["field"] for error in response.json()["errors"]] == ["unit"]
        assert Goal.objects.get(pk=self.goal.pk).unit_id == self.sn.pk

    def test_an_administrator_moves_the_goal_to_the_whole_organisation(self) -> None:
        response = self.call("admin", "PATCH", f"/goals/{self.goal.pk}", {"unit": None}, **V1)
        assert response.status_code == 200, response.content
        assert Goal.objects.get(pk=self.goal.pk).unit_id is None

    def test_a_change_without_if_match_is_428_and_writes_nothing(self) -> None:
        response = self.call("coordinator", "PATCH", f"/goals/{self.goal.pk}", {"title": "X"})
        assert response.status_code == 428
        assert Goal.objects.get(pk=self.goal.pk).title == "Mål"

    def test_a_stale_change_is_412(self) -> None:
        Goal.objects.filter(pk=self.goal.pk).update(version=2)
        response = self.call("coordinator", "PATCH", f"/goals/{self.goal.pk}", {"title": "X"}, **V1)
        assert response.status_code == 412
        assert Goal.objects.get(pk=self.goal.pk).title == "Mål"

    def test_a_reader_gets_403_and_the_person_below_the_committee_404(self) -> None:
        path = f"/goals/{self.goal.pk}"
        assert self.call("reader", "PATCH", path, {"title": "X"}, **V1).status_code == 403
        assert self.call("responsible", "PATCH", path, {"title": "X"}, **V1).status_code == 404
        assert self.call("outsider", "PATCH", path, {"title": "X"}, **V1).status_code == 404
        assert Goal.objects.get(pk=self.goal.pk).title == "Mål"

    def test_an_empty_title_is_refused_naming_the_field(self) -> None:
        path = f"/goals/{self.goal.pk}"
        response = self.call("coordinator", "PATCH", path, {"title": ""}, **V1)
        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert error == {"field": "title", "message": "Fältet måste fyllas i."}

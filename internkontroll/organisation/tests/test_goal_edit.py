from __future__ import annotations

from django.urls import reverse

from internkontroll.organisation.models import Goal
from internkontroll.test import BaseTestCase


class GoalEditTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.sn_goal = Goal.objects.create(
            organisation=cls.organisation, external_id="1.1", unit=cls.sn, year=2025, title="A"
        )
        cls.kf_goal = Goal.objects.create(
            organisation=cls.organisation, external_id="KF-1", year=2025, title="B"
        )
        cls.url = reverse("organisation:goal_edit", args=[cls.sn_goal.pk])

    def test_a_coordinator_changes_a_goal_of_their_committee(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(
            self.url,
            {
                "version": 1,
                "external_id": "1.2",
                "title": "Ny titel",
                "unit": self.sn.pk,
                "year": 2026,
            },
        )
        assert response.status_code == 302
        self.sn_goal.refresh_from_db()
        assert (self.sn_goal.external_id, self.sn_goal.title, self.sn_goal.year) == (
            "1.2",
            "Ny titel",
            2026,
        )
        assert self.sn_goal.history.latest().history_user == self.coordinator

    def test_keeping_the_goals_own_identifier_is_allowed(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(
            self.url,
            {"version": 1, "external_id": "1.1", "title": "A", "unit": self.sn.pk, "year": 2025},
        )
        assert response.status_code == 302

    def test_taking_another_goals_identifier_is_refused(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(
            self.url,
            {"version": 1, "external_id": "KF-1", "title": "A", "unit": self.sn.pk, "year": 2025},
        )
        assert response.status_code == 422
        assert "external_id" in response.context["form"].errors

    def test_a_missing_title_is_refused_and_the_rest_kept(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(
            self.url,
            {"version": 1, "external_id": "1.9", "title": "", "unit": self.sn.pk, "year": 2025},
        )
        assert response.status_code == 422
        assert 'value="1.9"' in response.content.decode()
        self.sn_goal.refresh_from_db()
        assert self.sn_goal.external_id == "1.1"

    def test_a_reader_may_not_change_goals(self) -> None:
        self.client.force_login(self.reader)
        assert self.client.get(self.url).status_code == 403

    def test_a_coordinator_of_one_committee_does_not_see_the_councils_goals(self) -> None:
        self.client.force_login(self.coordinator)
        url = reverse("organisation:goal_edit", args=[self.kf_goal.pk])
        assert self.client.get(url).status_code == 404

    def test_a_goal_of_another_organisation_is_not_found(self) -> None:
        self.client.force_login(self.outsider)
        assert self.client.get(self.url).status_code == 404

    def test_it_sends_anonymous_visitors_to_the_login(self) -> None:
        response = self.client.get(self.url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_it_rejects_delete(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.delete(self.url).status_code == 405

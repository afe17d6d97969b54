from __future__ import annotations

from django.urls import reverse

from internkontroll.accounts.models import Role
from internkontroll.organisation.models import Goal
from internkontroll.test import BaseTestCase, make_user

URL = reverse("organisation:goal_create")


class GoalCreateTests(BaseTestCase):
    def test_a_coordinator_creates_a_goal_for_their_committee(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(
            URL, {"external_id": "1.1", "title": "Trygg uppväxt", "unit": self.sn.pk, "year": 2025}
        )
        assert response.status_code == 302
        goal = Goal.objects.get(external_id="1.1")
        assert (goal.organisation, goal.unit, goal.year, goal.title) == (
            self.organisation,
            self.sn,
            2025,
            "Trygg uppväxt",
        )
        assert goal.history.get().history_user == self.coordinator

    def test_an_administrator_creates_a_goal_for_the_whole_organisation(self) -> None:
        self.client.force_login(self.admin)
        self.client.post(URL, {"external_id": "KF-1", "title": "Hållbar ekonomi", "year": 2025})
        assert Goal.objects.get(external_id="KF-1").unit is None

    def test_a_coordinator_of_one_committee_must_name_it(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(URL, {"external_id": "1.1", "title": "X", "year": 2025})
        assert response.status_code == 422
        assert "unit" in response.context["form"].errors

    def test_a_committee_outside_the_coordinators_scope_is_refused(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(
            URL, {"external_id": "1.1", "title": "X", "unit": self.bn.pk, "year": 2025}
        )
        assert response.status_code == 422
        assert not Goal.objects.exists()

    def test_an_identifier_already_used_is_refused_with_a_message(self) -> None:
        Goal.objects.create(organisation=self.organisation, external_id="1.1", unit=self.sn)
        self.client.force_login(self.coordinator)
        response = self.client.post(
            URL, {"external_id": "1.1", "title": "X", "unit": self.sn.pk, "year": 2025}
        )
        assert response.status_code == 422
        assert "1.1" in response.context["form"].errors["external_id"][0]

    def test_the_same_identifier_is_free_in_another_organisation(self) -> None:
        Goal.objects.create(organisation=self.other_organisation, external_id="1.1")
        self.client.force_login(self.coordinator)
        response = self.client.post(
            URL, {"external_id": "1.1", "title": "X", "unit": self.sn.pk, "year": 2025}
        )
        assert response.status_code == 302

    def test_it_offers_this_year(self) -> None:
        self.client.force_login(self.coordinator)
        form = self.client.get(URL).context["form"]
        assert form.fields["year"].initial is not None

    def test_a_reader_may_not_create_goals(self) -> None:
        self.client.force_login(self.reader)
        assert self.client.post(URL, {"external_id": "1.1", "title": "X"}).status_code == 403
        assert not Goal.objects.exists()

    def test_a_responsible_person_may_not_create_goals(self) -> None:
        self.client.force_login(self.responsible)
        assert self.client.get(URL).status_code == 403

    def test_a_coordinator_elsewhere_creates_in_their_own_organisation_only(self) -> None:
        self.client.force_login(self.outsider)
        response = self.client.post(
            URL, {"external_id": "1.1", "title": "X", "unit": self.sn.pk, "year": 2025}
        )
        assert response.status_code == 422
        assert not Goal.objects.filter(organisation=self.organisation).exists()

    def test_someone_without_an_organisation_gets_404(self) -> None:
        self.client.force_login(make_user("ingen", None))
        assert self.client.get(URL).status_code == 404

    def test_a_committee_coordinator_is_not_offered_the_whole_organisation(self) -> None:
        coordinator = make_user("samordnare-bn", self.organisation, [(Role.COORDINATOR, self.bn)])
        self.client.force_login(coordinator)
        form = self.client.get(URL).context["form"]
        assert list(form.fields["unit"].queryset) == [self.bn]
        assert form.fields["unit"].required

    def test_it_sends_anonymous_visitors_to_the_login(self) -> None:
        response = self.client.get(URL)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_it_rejects_put(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.put(URL).status_code == 405

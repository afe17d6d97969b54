from __future__ import annotations

from django.urls import reverse

from internkontroll.organisation.models import RiskArea
from internkontroll.test import BaseTestCase, make_user

URL = reverse("organisation:risk_area_create")


class RiskAreaCreateTests(BaseTestCase):
    def test_a_coordinator_creates_a_risk_area(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(URL, {"name": "  Oegentligheter  "})
        assert response.status_code == 302
        created = RiskArea.objects.get(name="Oegentligheter")
        assert created.organisation == self.organisation
        assert created.history.get().history_user == self.coordinator

    def test_an_administrator_creates_a_risk_area(self) -> None:
        self.client.force_login(self.admin)
        assert self.client.post(URL, {"name": "Oegentligheter"}).status_code == 302

    def test_a_name_already_in_the_organisation_is_refused_whatever_its_case(self) -> None:
        RiskArea.objects.create(organisation=self.organisation, name="Oegentligheter")
        self.client.force_login(self.coordinator)
        response = self.client.post(URL, {"name": "oegentligheter"})
        assert response.status_code == 422
        assert response.context["form"].errors["name"] == [
            "Det finns redan ett riskområde som heter ”oegentligheter” i organisationen."
        ]
        assert RiskArea.objects.count() == 1

    def test_the_same_name_is_free_in_another_organisation(self) -> None:
        RiskArea.objects.create(organisation=self.other_organisation, name="Oegentligheter")
        self.client.force_login(self.coordinator)
        assert self.client.post(URL, {"name": "Oegentligheter"}).status_code == 302

    def test_an_empty_name_is_refused(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(URL, {"name": ""})
        assert response.status_code == 422
        assert "name" in response.context["form"].errors

    def test_it_shows_the_form(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(URL)
        assert response.status_code == 200
        assert 'name="name"' in response.content.decode()

    def test_a_reader_may_not_create_one(self) -> None:
        self.client.force_login(self.reader)
        assert self.client.post(URL, {"name": "Oegentligheter"}).status_code == 403
        assert not RiskArea.objects.exists()

    def test_an_auditor_may_not_create_one(self) -> None:
        self.client.force_login(self.auditor)
        assert self.client.get(URL).status_code == 403

    def test_someone_of_another_organisation_creates_in_their_own_only(self) -> None:
        self.client.force_login(self.outsider)
        self.client.post(URL, {"name": "Oegentligheter"})
        assert RiskArea.objects.get().organisation == self.other_organisation

    def test_someone_without_an_organisation_gets_404(self) -> None:
        self.client.force_login(make_user("ingen", None))
        assert self.client.get(URL).status_code == 404

    def test_it_sends_anonymous_visitors_to_the_login(self) -> None:
        response = self.client.get(URL)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_it_rejects_put(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.put(URL).status_code == 405

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.organisation.models import Goal, Process, RiskArea
from internkontroll.test import BaseTestCase, make_unit, make_user

URL = reverse("organisation:settings")


def _fill(organisation: object, count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        unit = make_unit(organisation, f"e-{number}", "unit")
        Goal.objects.create(organisation=organisation, external_id=f"g-{number}", unit=unit)
        Process.objects.create(organisation=organisation, name=f"Process {number}")
        RiskArea.objects.create(organisation=organisation, name=f"Riskområde {number}")


class SettingsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.kf_goal = Goal.objects.create(
            organisation=cls.organisation, external_id="1.1", title="Trygg kommun", year=2025
        )
        cls.sn_goal = Goal.objects.create(
            organisation=cls.organisation, external_id="SN-1", unit=cls.sn, year=2025
        )
        cls.process = Process.objects.create(organisation=cls.organisation, name="Ekonomi")
        cls.area = RiskArea.objects.create(organisation=cls.organisation, name="Oegentligheter")
        cls.nobody = make_user("ingen", None)

    def test_it_lists_units_goals_processes_and_risk_areas(self) -> None:
        self.client.force_login(self.admin)
        html = self.client.get(URL).content.decode()
        for text in ("Vuxenenheten", "Trygg kommun", "SN-1", "Ekonomi", "Oegentligheter"):
            assert text in html

    def test_an_administrator_gets_links_to_every_form(self) -> None:
        self.client.force_login(self.admin)
        html = self.client.get(URL).content.decode()
        assert reverse("organisation:unit_create") in html
        assert reverse("organisation:unit_edit", args=[self.sn.pk]) in html
        assert reverse("organisation:goal_edit", args=[self.kf_goal.pk]) in html
        assert reverse("organisation:process_edit", args=[self.process.pk]) in html
        assert reverse("organisation:risk_area_edit", args=[self.area.pk]) in html

    def test_a_coordinator_may_change_their_goals_but_not_the_shared_settings(self) -> None:
        self.client.force_login(self.coordinator)
        html = self.client.get(URL).content.decode()
        assert reverse("organisation:goal_create") in html
        assert reverse("organisation:goal_edit", args=[self.sn_goal.pk]) in html
        assert reverse("organisation:unit_create") not in html
        assert reverse("organisation:unit_edit", args=[self.sn.pk]) not in html
        assert reverse("organisation:process_create") not in html
        assert reverse("organisation:process_edit", args=[self.process.pk]) not in html
        assert reverse("organisation:risk_area_create") not in html
        assert reverse("organisation:risk_area_edit", args=[self.area.pk]) not in html
        assert "Ekonomi" in html

    def test_a_reader_gets_the_lists_without_links_to_forms(self) -> None:
        self.client.force_login(self.reader)
        response = self.client.get(URL)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Ekonomi" in html
        assert "/andra/" not in html
        assert "/ny/" not in html

    def test_a_user_of_another_organisation_sees_none_of_it(self) -> None:
        self.client.force_login(self.outsider)
        html = self.client.get(URL).content.decode()
        assert "Vuxenenheten" not in html
        assert "Ekonomi" not in html

    def test_someone_without_an_organisation_gets_404(self) -> None:
        self.client.force_login(self.nobody)
        assert self.client.get(URL).status_code == 404

    def test_it_sends_anonymous_visitors_to_the_login(self) -> None:
        response = self.client.get(URL)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_it_rejects_post(self) -> None:
        self.client.force_login(self.admin)
        assert self.client.post(URL).status_code == 405

    def test_the_number_of_queries_does_not_grow_with_the_rows(self) -> None:
        self.client.force_login(self.admin)
        _fill(self.organisation, 5)
        with CaptureQueriesContext(connection) as five:
            self.client.get(URL)
        _fill(self.organisation, 45, start=5)
        with self.assertNumQueries(len(five)):
            self.client.get(URL)

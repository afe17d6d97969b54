from django.urls import reverse

from internkontroll.controls.models import ControlActivity
from internkontroll.test import BaseTestCase


class ControlActivityFormTests(BaseTestCase):
    def test_a_coordinator_adds_a_control_activity_with_its_periods(self) -> None:
        self.client.force_login(self.coordinator)
        periods = list(self.organisation.periods.filter(code__in=["T1", "VB"]))
        response = self.client.post(
            reverse("controls:create", args=[self.sn_risk.pk]),
            {
                "title": "Stickprov på attester",
                "method": "sample",
                "sample": "10 fakturor",
                "frequency": "per_period",
                "periods": [p.pk for p in periods],
                "assignee": self.responsible.pk,
            },
        )
        assert response.status_code == 302
        activity = ControlActivity.objects.get(title="Stickprov på attester")
        assert {p.code for p in activity.periods.all()} == {"T1", "VB"}
        assert activity.external_id == "k-2"

    def test_another_organisations_period_is_refused(self) -> None:
        self.client.force_login(self.coordinator)
        foreign = self.other_organisation.periods.first()
        response = self.client.post(
            reverse("controls:create", args=[self.sn_risk.pk]),
            {"title": "X", "periods": [foreign.pk]},
        )
        assert response.status_code == 422
        assert "periods" in response.context["form"].errors

    def test_a_stale_edit_is_refused(self) -> None:
        self.client.force_login(self.coordinator)
        ControlActivity.objects.filter(pk=self.sn_activity.pk).update(version=3)
        response = self.client.post(
            reverse("controls:edit", args=[self.sn_activity.pk]),
            {"title": "Nytt namn", "version": 1},
        )
        assert response.status_code == 422
        assert ControlActivity.objects.get(pk=self.sn_activity.pk).title != "Nytt namn"

    def test_readers_outsiders_and_anonymous_users_are_refused(self) -> None:
        url = reverse("controls:edit", args=[self.sn_activity.pk])
        assert self.client.get(url).status_code == 302
        self.client.force_login(self.reader)
        assert self.client.post(url, {"title": "X"}).status_code == 403
        self.client.force_login(self.outsider)
        assert self.client.get(url).status_code == 404
        self.client.force_login(self.coordinator)
        assert self.client.delete(url).status_code == 405

    def test_the_edit_page_lists_the_occurrences_of_the_year(self) -> None:
        ControlActivity.objects.filter(pk=self.sn_activity.pk).update(frequency="monthly")
        self.client.force_login(self.coordinator)
        page = self.client.get(reverse("controls:edit", args=[self.sn_activity.pk]))
        content = page.content.decode()
        assert "Kontrollen ska göras 12 gånger 2025" in content
        assert "2025-01-31 (Tertialrapport 1)" in content
        assert "2025-12-31 (Verksamhetsberättelse)" in content

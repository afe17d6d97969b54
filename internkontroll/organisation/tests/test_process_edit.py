from __future__ import annotations

from django.urls import reverse

from internkontroll.organisation.models import Process
from internkontroll.test import BaseTestCase


class ProcessEditTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.item = Process.objects.create(organisation=cls.organisation, name="Ekonomi")
        cls.other = Process.objects.create(organisation=cls.organisation, name="Övrigt")
        cls.url = reverse("organisation:process_edit", args=[cls.item.pk])

    def test_a_coordinator_renames_it(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.post(self.url, {"name": "Nytt namn"}).status_code == 302
        self.item.refresh_from_db()
        assert self.item.name == "Nytt namn"
        assert self.item.history.latest().history_user == self.coordinator

    def test_keeping_its_own_name_is_allowed(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.post(self.url, {"name": "Ekonomi"}).status_code == 302

    def test_taking_another_ones_name_is_refused(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(self.url, {"name": "övrigt"})
        assert response.status_code == 422
        assert "name" in response.context["form"].errors
        self.item.refresh_from_db()
        assert self.item.name == "Ekonomi"

    def test_it_shows_the_form_with_the_name(self) -> None:
        self.client.force_login(self.admin)
        assert 'value="Ekonomi"' in self.client.get(self.url).content.decode()

    def test_a_reader_may_not_change_it(self) -> None:
        self.client.force_login(self.reader)
        assert self.client.post(self.url, {"name": "X"}).status_code == 403

    def test_one_of_another_organisation_is_not_found(self) -> None:
        self.client.force_login(self.outsider)
        assert self.client.get(self.url).status_code == 404

    def test_it_sends_anonymous_visitors_to_the_login(self) -> None:
        response = self.client.get(self.url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_it_rejects_delete(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.delete(self.url).status_code == 405

"""Renaming a process or a risk area: one view for both, so both kinds run the same cases."""

from __future__ import annotations

from typing import ClassVar

from django.urls import reverse

from internkontroll.accounts.models import Role
from internkontroll.organisation.models import Process, RiskArea
from internkontroll.organisation.tests.named import PROCESS, RISK_AREA, Cases, Kind
from internkontroll.test import BaseTestCase, make_user


class EditCases(Cases):
    kind: ClassVar[Kind]
    item: ClassVar[Process | RiskArea]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.item = cls.kind.model.objects.create(organisation=cls.organisation, name="Ekonomi")
        cls.kind.model.objects.create(organisation=cls.organisation, name="Övrigt")

    @property
    def url(self) -> str:
        return reverse(self.kind.url_name("edit"), args=[self.item.pk])

    def assert_name_unchanged(self) -> None:
        self.item.refresh_from_db()
        assert self.item.name == "Ekonomi"

    def test_an_administrator_renames_it(self) -> None:
        self.client.force_login(self.admin)
        assert self.client.post(self.url, {"version": 1, "name": " Nytt  namn "}).status_code == 302
        self.item.refresh_from_db()
        assert self.item.name == "Nytt namn"
        assert self.item.history.latest().history_user == self.admin

    def test_a_committee_coordinator_may_not_rename_it(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.get(self.url).status_code == 403
        assert self.client.post(self.url, {"version": 1, "name": "Nytt namn"}).status_code == 403
        self.assert_name_unchanged()

    def test_a_coordinator_of_the_whole_organisation_may_not_rename_it(self) -> None:
        wide = make_user("kssamordnare", self.organisation, [(Role.COORDINATOR, None)])
        self.client.force_login(wide)
        assert self.client.post(self.url, {"version": 1, "name": "Nytt namn"}).status_code == 403
        self.assert_name_unchanged()

    def test_keeping_its_own_name_is_allowed(self) -> None:
        self.client.force_login(self.admin)
        assert self.client.post(self.url, {"version": 1, "name": "Ekonomi"}).status_code == 302

    def test_taking_another_ones_name_is_refused(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(self.url, {"version": 1, "name": "övrigt"})
        assert response.status_code == 422
        assert "”övrigt”" in response.content.decode()
        self.assert_name_unchanged()

    def test_it_shows_the_form_with_its_title_and_the_name(self) -> None:
        self.client.force_login(self.admin)
        html = self.client.get(self.url).content.decode()
        assert f"<h1>{self.kind.edit_title}</h1>" in html
        assert 'value="Ekonomi"' in html

    def test_a_reader_may_not_rename_it(self) -> None:
        self.client.force_login(self.reader)
        assert self.client.post(self.url, {"version": 1, "name": "X"}).status_code == 403
        self.assert_name_unchanged()

    def test_one_of_another_organisation_is_not_found_even_by_its_administrator(self) -> None:
        elsewhere = make_user("grannadmin", self.other_organisation, [(Role.ADMIN, None)])
        self.client.force_login(elsewhere)
        assert self.client.post(self.url, {"version": 1, "name": "X"}).status_code == 404
        self.assert_name_unchanged()

    def test_an_unknown_one_is_not_found(self) -> None:
        self.client.force_login(self.admin)
        unknown = reverse(self.kind.url_name("edit"), args=[999999])
        assert self.client.get(unknown).status_code == 404

    def test_it_sends_anonymous_visitors_to_the_login(self) -> None:
        response = self.client.get(self.url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_it_rejects_delete(self) -> None:
        self.client.force_login(self.admin)
        assert self.client.delete(self.url).status_code == 405
        assert self.kind.model.objects.filter(pk=self.item.pk).exists()


class ProcessEditTests(EditCases, BaseTestCase):
    kind = PROCESS


class RiskAreaEditTests(EditCases, BaseTestCase):
    kind = RISK_AREA

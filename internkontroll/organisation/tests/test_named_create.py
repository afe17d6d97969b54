"""Creating a process or a risk area: one view for both, so both kinds run the same cases."""

from __future__ import annotations

from typing import ClassVar

from django.urls import reverse

from internkontroll.accounts.models import Role, User
from internkontroll.organisation.tests.named import PROCESS, RISK_AREA, Cases, Kind
from internkontroll.test import BaseTestCase, make_user


class CreateCases(Cases):
    kind: ClassVar[Kind]

    @property
    def url(self) -> str:
        return reverse(self.kind.url_name("create"))

    def test_an_administrator_creates_one_in_their_organisation(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(self.url, {"name": "  Ekonomi  "})
        assert response.status_code == 302
        created = self.kind.model.objects.get(name="Ekonomi")
        assert created.organisation == self.organisation
        assert created.history.get().history_user == self.admin

    def test_a_superuser_creates_one(self) -> None:
        superuser = User.objects.create_superuser("chef", organisation=self.organisation)
        self.client.force_login(superuser)
        assert self.client.post(self.url, {"name": "Ekonomi"}).status_code == 302
        assert self.kind.model.objects.filter(name="Ekonomi").exists()

    def test_a_committee_coordinator_may_not_create_one(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.get(self.url).status_code == 403
        assert self.client.post(self.url, {"name": "Ekonomi"}).status_code == 403
        assert not self.kind.model.objects.exists()

    def test_a_coordinator_of_the_whole_organisation_may_not_create_one(self) -> None:
        wide = make_user("kssamordnare", self.organisation, [(Role.COORDINATOR, None)])
        self.client.force_login(wide)
        assert self.client.post(self.url, {"name": "Ekonomi"}).status_code == 403
        assert not self.kind.model.objects.exists()

    def test_an_administrator_of_one_committee_may_not_create_one(self) -> None:
        committee_admin = make_user("snadmin", self.organisation, [(Role.ADMIN, self.sn)])
        self.client.force_login(committee_admin)
        assert self.client.post(self.url, {"name": "Ekonomi"}).status_code == 403
        assert not self.kind.model.objects.exists()

    def test_a_name_already_in_the_organisation_is_refused_whatever_its_case(self) -> None:
        self.kind.model.objects.create(organisation=self.organisation, name="Ekonomi")
        self.client.force_login(self.admin)
        response = self.client.post(self.url, {"name": "ekonomi"})
        assert response.status_code == 422
        assert self.kind.duplicate_message("ekonomi") in response.content.decode()
        assert self.kind.model.objects.count() == 1

    def test_the_same_name_is_free_in_another_organisation(self) -> None:
        self.kind.model.objects.create(organisation=self.other_organisation, name="Ekonomi")
        self.client.force_login(self.admin)
        assert self.client.post(self.url, {"name": "Ekonomi"}).status_code == 302

    def test_an_empty_name_is_refused(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(self.url, {"name": "  "})
        assert response.status_code == 422
        assert "name" in response.context["form"].errors
        assert not self.kind.model.objects.exists()

    def test_it_shows_the_form_with_its_title(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.get(self.url)
        html = response.content.decode()
        assert response.status_code == 200
        assert f"<h1>{self.kind.new_title}</h1>" in html
        assert 'name="name"' in html

    def test_a_reader_may_not_create_one(self) -> None:
        self.client.force_login(self.reader)
        assert self.client.post(self.url, {"name": "Ekonomi"}).status_code == 403
        assert not self.kind.model.objects.exists()

    def test_an_auditor_may_not_create_one(self) -> None:
        self.client.force_login(self.auditor)
        assert self.client.get(self.url).status_code == 403

    def test_an_administrator_elsewhere_creates_in_their_own_organisation_only(self) -> None:
        elsewhere = make_user("grannadmin", self.other_organisation, [(Role.ADMIN, None)])
        self.client.force_login(elsewhere)
        assert self.client.post(self.url, {"name": "Ekonomi"}).status_code == 302
        assert self.kind.model.objects.get().organisation == self.other_organisation

    def test_someone_without_an_organisation_gets_404(self) -> None:
        self.client.force_login(make_user("ingen", None))
        assert self.client.get(self.url).status_code == 404

    def test_it_sends_anonymous_visitors_to_the_login(self) -> None:
        response = self.client.get(self.url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_it_rejects_put(self) -> None:
        self.client.force_login(self.admin)
        assert self.client.put(self.url).status_code == 405


class ProcessCreateTests(CreateCases, BaseTestCase):
    kind = PROCESS


class RiskAreaCreateTests(CreateCases, BaseTestCase):
    kind = RISK_AREA

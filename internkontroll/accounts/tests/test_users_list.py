from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.accounts.models import Role
from internkontroll.accounts.tests.scope_cast import AdministratorScopeTestCase
from internkontroll.test import BaseTestCase, make_user

URL = reverse("accounts:users")


class UsersListTests(BaseTestCase):
    def test_an_administrator_sees_the_people_with_their_roles_and_state(self) -> None:
        self.reader.is_active = False
        self.reader.save()
        self.client.force_login(self.admin)
        response = self.client.get(URL)
        assert response.status_code == 200
        members = list(response.context["members"])
        assert self.coordinator in members and self.reader in members
        assert self.outsider not in members
        content = response.content.decode()
        assert "Socialnämnden" in content
        assert reverse("accounts:user_edit", args=[self.reader.pk]) in content

    def test_the_menu_offers_the_page_to_administrators_only(self) -> None:
        self.client.force_login(self.admin)
        assert URL in self.client.get(reverse("search:results")).content.decode()
        self.client.force_login(self.coordinator)
        assert URL not in self.client.get(reverse("search:results")).content.decode()

    def test_it_needs_the_same_queries_for_5_and_50_users(self) -> None:
        self.client.force_login(self.admin)
        self.client.get(URL)  # warm caches outside the count
        with CaptureQueriesContext(connection) as five:
            self.client.get(URL)
        with_five = len(five)  # counted now: the next request empties the log
        for number in range(45):
            make_user(f"person-{number}", self.organisation, [(Role.READER, self.sf)])
        # A request first: the scope is read once after a change to roles or units.
        self.client.get(URL)
        with self.assertNumQueries(with_five):
            self.client.get(URL)

    def test_a_coordinator_may_not_see_it(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.get(URL).status_code == 403

    def test_a_reader_may_not_see_it(self) -> None:
        self.client.force_login(self.reader)
        assert self.client.get(URL).status_code == 403

    def test_an_administrator_of_another_organisation_sees_only_their_own_people(self) -> None:
        other_admin = make_user("grannadmin", self.other_organisation, [(Role.ADMIN, None)])
        self.client.force_login(other_admin)
        members = list(self.client.get(URL).context["members"])
        assert self.outsider in members and self.coordinator not in members

    def test_it_sends_anonymous_visitors_to_the_login(self) -> None:
        response = self.client.get(URL)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_it_rejects_post(self) -> None:
        self.client.force_login(self.admin)
        assert self.client.post(URL).status_code == 405


class UsersListScopeTests(AdministratorScopeTestCase):
    def members(self, admin: Any) -> list[Any]:
        self.client.force_login(admin)
        response = self.client.get(URL)
        assert response.status_code == 200
        return list(response.context["members"])

    def test_an_administrator_does_not_see_superusers_or_staff_users(self) -> None:
        members = self.members(self.admin)
        assert self.superuser not in members and self.staff not in members
        assert self.reader in members and self.sn_admin in members

    def test_a_unit_administrator_sees_only_the_people_wholly_inside_their_units(self) -> None:
        members = self.members(self.sn_admin)
        # samordnare (sn), ansvarig (sf-vux), revisor (sn), themself, and no one wider.
        assert {member.username for member in members} == {
            "samordnare",
            "ansvarig",
            "revisor",
            "sn-admin",
        }
        assert "lasare" not in self.client.get(URL).content.decode()

    def test_the_menu_offers_the_page_to_a_unit_administrator(self) -> None:
        self.client.force_login(self.sn_admin)
        assert URL in self.client.get(reverse("search:results")).content.decode()

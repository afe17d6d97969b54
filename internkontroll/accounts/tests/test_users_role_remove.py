from __future__ import annotations

from django.urls import reverse

from internkontroll.accounts.models import Role, RoleAssignment
from internkontroll.accounts.tests.scope_cast import AdministratorScopeTestCase
from internkontroll.test import BaseTestCase, make_user


def url(assignment: RoleAssignment) -> str:
    return reverse("accounts:role_remove", args=[assignment.pk])


class RoleRemoveTests(BaseTestCase):
    def test_an_administrator_removes_a_role(self) -> None:
        assignment = self.auditor.role_assignments.get()
        self.client.force_login(self.admin)
        response = self.client.post(url(assignment))
        assert response.status_code == 302
        assert response.url == reverse("accounts:user_edit", args=[self.auditor.pk])
        assert not self.auditor.role_assignments.exists()

    def test_the_history_records_who_removed_the_role(self) -> None:
        assignment = self.auditor.role_assignments.get()
        self.client.force_login(self.admin)
        self.client.post(url(assignment))
        deleted = RoleAssignment.history.filter(id=assignment.pk).latest()  # type: ignore[attr-defined]
        assert (deleted.history_type, deleted.history_user) == ("-", self.admin)

    def test_an_administrator_may_not_remove_their_own_administrator_role(self) -> None:
        self.client.force_login(self.admin)
        self.client.post(url(self.admin.role_assignments.get()))
        assert self.admin.role_assignments.filter(role=Role.ADMIN).exists()

    def test_a_role_in_another_organisation_is_not_found(self) -> None:
        self.client.force_login(self.admin)
        assert self.client.post(url(self.outsider.role_assignments.get())).status_code == 404
        assert self.outsider.role_assignments.exists()

    def test_an_administrator_of_another_organisation_does_not_find_our_roles(self) -> None:
        other_admin = make_user("grannadmin", self.other_organisation, [(Role.ADMIN, None)])
        self.client.force_login(other_admin)
        assert self.client.post(url(self.auditor.role_assignments.get())).status_code == 404

    def test_a_coordinator_may_not_remove_roles(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.post(url(self.auditor.role_assignments.get())).status_code == 403
        assert self.auditor.role_assignments.exists()

    def test_a_reader_may_not_remove_roles(self) -> None:
        self.client.force_login(self.reader)
        assert self.client.post(url(self.auditor.role_assignments.get())).status_code == 403

    def test_it_sends_anonymous_visitors_to_the_login(self) -> None:
        response = self.client.post(url(self.auditor.role_assignments.get()))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_it_rejects_get(self) -> None:
        self.client.force_login(self.admin)
        assert self.client.get(url(self.auditor.role_assignments.get())).status_code == 405


class RoleRemoveScopeTests(AdministratorScopeTestCase):
    def test_a_unit_administrator_cannot_remove_a_role_of_someone_wider(self) -> None:
        self.client.force_login(self.sn_admin)
        assert self.client.post(url(self.admin.role_assignments.get())).status_code == 404
        assert self.admin.role_assignments.filter(role=Role.ADMIN).exists()

    def test_an_administrator_cannot_remove_a_role_of_a_staff_user(self) -> None:
        self.client.force_login(self.admin)
        assert self.client.post(url(self.staff.role_assignments.get())).status_code == 404
        assert self.staff.role_assignments.exists()

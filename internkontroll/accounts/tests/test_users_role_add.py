from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from internkontroll.accounts.actions import add_role
from internkontroll.accounts.models import Role, RoleAssignment, User
from internkontroll.accounts.tests.scope_cast import AdministratorScopeTestCase
from internkontroll.test import BaseTestCase, make_user


def url(user: User) -> str:
    return reverse("accounts:role_add", args=[user.pk])


class RoleAddTests(BaseTestCase):
    def test_an_administrator_gives_a_role_on_a_unit(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(
            url(self.responsible), {"role": "coordinator", "unit": self.bn.pk}
        )
        assert response.status_code == 302
        assert response.url == reverse("accounts:user_edit", args=[self.responsible.pk])
        assert self.responsible.role_assignments.filter(
            role=Role.COORDINATOR, unit=self.bn, organisation=self.organisation
        ).exists()

    def test_an_empty_unit_means_the_whole_organisation(self) -> None:
        self.client.force_login(self.admin)
        self.client.post(url(self.responsible), {"role": "reader", "unit": ""})
        assert self.responsible.role_assignments.filter(role=Role.READER, unit=None).exists()

    def test_the_new_role_takes_effect_on_the_next_request(self) -> None:
        self.client.force_login(self.admin)
        self.client.post(url(self.reader), {"role": "admin", "unit": ""})
        self.client.force_login(self.reader)
        assert self.client.get(reverse("accounts:users")).status_code == 200

    def test_an_unknown_role_is_refused_with_nothing_stored(self) -> None:
        self.client.force_login(self.admin)
        before = RoleAssignment.objects.count()
        response = self.client.post(url(self.reader), {"role": "superuser", "unit": ""})
        assert response.status_code == 422
        assert "role" in response.context["role_form"].errors
        assert RoleAssignment.objects.count() == before

    def test_a_unit_of_another_organisation_is_refused_with_nothing_stored(self) -> None:
        self.client.force_login(self.admin)
        before = RoleAssignment.objects.count()
        response = self.client.post(
            url(self.reader), {"role": "coordinator", "unit": self.other_committee.pk}
        )
        assert response.status_code == 422
        assert "unit" in response.context["role_form"].errors
        assert RoleAssignment.objects.count() == before

    def test_a_duplicate_is_refused_with_a_message_and_the_values_kept(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(
            url(self.coordinator), {"role": "coordinator", "unit": self.sn.pk}
        )
        assert response.status_code == 422
        form = response.context["role_form"]
        assert form.non_field_errors()
        assert form["unit"].value() == str(self.sn.pk)
        assert self.coordinator.role_assignments.count() == 1

    def test_the_history_records_who_gave_the_role(self) -> None:
        self.client.force_login(self.admin)
        self.client.post(url(self.reader), {"role": "auditor", "unit": self.bn.pk})
        assignment = self.reader.role_assignments.get(role=Role.AUDITOR)
        assert assignment.history.latest().history_user == self.admin  # type: ignore[attr-defined]

    def test_a_user_of_another_organisation_is_not_found(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(url(self.outsider), {"role": "reader", "unit": ""})
        assert response.status_code == 404
        assert self.outsider.role_assignments.count() == 1

    def test_a_coordinator_may_not_give_roles(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(url(self.coordinator), {"role": "admin", "unit": ""})
        assert response.status_code == 403
        assert self.coordinator.role_assignments.count() == 1

    def test_a_reader_may_not_give_roles(self) -> None:
        self.client.force_login(self.reader)
        assert self.client.post(url(self.reader), {"role": "admin", "unit": ""}).status_code == 403

    def test_an_administrator_of_another_organisation_does_not_find_our_users(self) -> None:
        other_admin = make_user("grannadmin", self.other_organisation, [(Role.ADMIN, None)])
        self.client.force_login(other_admin)
        assert self.client.post(url(self.reader), {"role": "reader", "unit": ""}).status_code == 404

    def test_it_sends_anonymous_visitors_to_the_login(self) -> None:
        response = self.client.post(url(self.reader), {"role": "reader", "unit": ""})
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_it_rejects_get(self) -> None:
        self.client.force_login(self.admin)
        assert self.client.get(url(self.reader)).status_code == 405


class RoleAddScopeTests(AdministratorScopeTestCase):
    def test_a_unit_administrator_gives_a_role_below_their_unit(self) -> None:
        self.client.force_login(self.sn_admin)
        response = self.client.post(url(self.responsible), {"role": "reader", "unit": self.sf.pk})
        assert response.status_code == 302
        assert self.responsible.role_assignments.filter(role=Role.READER, unit=self.sf).exists()

    def test_a_unit_administrator_cannot_give_a_role_on_another_unit(self) -> None:
        self.client.force_login(self.sn_admin)
        response = self.client.post(url(self.responsible), {"role": "admin", "unit": self.bn.pk})
        assert response.status_code == 422
        assert response.context["role_form"].errors["unit"] == [
            "Välj en av de enheter som du administrerar."
        ]
        assert self.responsible.role_assignments.count() == 1

    def test_a_unit_administrator_cannot_give_a_role_on_the_whole_organisation(self) -> None:
        self.client.force_login(self.sn_admin)
        response = self.client.post(url(self.responsible), {"role": "admin", "unit": ""})
        assert response.status_code == 422
        assert "inte hela organisationen" in response.content.decode()
        assert self.responsible.role_assignments.count() == 1

    def test_the_form_offers_only_the_units_in_scope(self) -> None:
        self.client.force_login(self.sn_admin)
        response = self.client.get(reverse("accounts:user_edit", args=[self.responsible.pk]))
        offered = set(response.context["role_form"].fields["unit"].queryset)
        assert offered == {self.sn, self.sf, self.sf_vux, self.sf_barn}
        assert "Hela organisationen" not in response.content.decode()

    def test_the_action_refuses_a_role_outside_the_scope_whoever_calls_it(self) -> None:
        with self.assertRaises(PermissionDenied):
            add_role(self.responsible, acting_user=self.sn_admin, role=Role.ADMIN, unit=None)
        with self.assertRaises(PermissionDenied):
            add_role(self.reader, acting_user=self.sn_admin, role=Role.READER, unit=self.sf)
        assert not self.reader.role_assignments.filter(unit=self.sf).exists()

    def test_a_role_cannot_be_given_to_someone_wider_than_the_administrator(self) -> None:
        self.client.force_login(self.sn_admin)
        response = self.client.post(url(self.reader), {"role": "reader", "unit": self.sf.pk})
        assert response.status_code == 404
        assert self.reader.role_assignments.count() == 1

from __future__ import annotations

import smtplib
from unittest import mock

from django.core import mail
from django.urls import reverse

from internkontroll.accounts.models import Role, User
from internkontroll.accounts.tests.scope_cast import AdministratorScopeTestCase
from internkontroll.test import BaseTestCase, make_user


def url(user: User) -> str:
    return reverse("accounts:user_edit", args=[user.pk])


def data(**changes: str) -> dict[str, str]:
    return {
        "username": "lasare",
        "first_name": "Lisa",
        "last_name": "Läsare",
        "email": "lisa@example.se",
        "is_active": "on",
        **changes,
    }


class UserEditTests(BaseTestCase):
    def test_an_administrator_changes_a_user(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(url(self.reader), data(email=""))
        assert response.status_code == 422  # an e-mail is required
        response = self.client.post(url(self.reader), data())
        assert response.status_code == 302
        self.reader.refresh_from_db()
        assert self.reader.first_name == "Lisa"

    def test_a_new_e_mail_waits_for_confirmation_from_the_new_address(self) -> None:
        self.reader.email = "lasare@example.se"
        self.reader.save()
        self.client.force_login(self.admin)
        response = self.client.post(url(self.reader), data(), follow=True)
        assert "när ägaren har följt länken" in response.content.decode()
        self.reader.refresh_from_db()
        assert (self.reader.email, self.reader.pending_email) == (
            "lasare@example.se",
            "lisa@example.se",
        )
        assert [message.to for message in mail.outbox] == [["lisa@example.se"]]
        page = self.client.get(url(self.reader)).content.decode()
        assert "Den nya e-postadressen lisa@example.se väntar på bekräftelse" in page

    def test_an_e_mail_that_cannot_be_sent_leaves_everything_as_it_was(self) -> None:
        self.client.force_login(self.admin)
        with mock.patch(
            "internkontroll.accounts.actions.send_mail", side_effect=smtplib.SMTPException
        ):
            response = self.client.post(url(self.reader), data())
        assert response.status_code == 422
        assert "kunde inte skickas" in response.content.decode()
        self.reader.refresh_from_db()
        assert (self.reader.first_name, self.reader.pending_email) == ("", "")

    def test_an_administrator_deactivates_a_user_instead_of_deleting(self) -> None:
        self.client.force_login(self.admin)
        form = data()
        del form["is_active"]
        self.client.post(url(self.reader), form)
        self.reader.refresh_from_db()
        assert not self.reader.is_active

    def test_an_administrator_may_not_deactivate_themself(self) -> None:
        self.client.force_login(self.admin)
        form = data(username="admin", email="a@example.se")
        del form["is_active"]
        response = self.client.post(url(self.admin), form)
        assert response.status_code == 422
        assert "is_active" in response.context["form"].errors
        self.admin.refresh_from_db()
        assert self.admin.is_active

    def test_an_e_mail_of_another_user_is_refused_with_the_values_kept(self) -> None:
        self.coordinator.email = "sam@example.se"
        self.coordinator.save()
        self.client.force_login(self.admin)
        response = self.client.post(url(self.reader), data(email="SAM@example.se"))
        assert response.status_code == 422
        assert "email" in response.context["form"].errors
        assert response.context["form"]["first_name"].value() == "Lisa"
        self.reader.refresh_from_db()
        assert self.reader.email == ""

    def test_the_user_keeps_their_own_e_mail(self) -> None:
        self.reader.email = "lisa@example.se"
        self.reader.save()
        self.client.force_login(self.admin)
        assert self.client.post(url(self.reader), data()).status_code == 302

    def test_the_page_shows_the_roles_and_a_form_to_add_one(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.get(url(self.coordinator))
        assert response.status_code == 200
        content = response.content.decode()
        assert "Socialnämnden" in content
        assert reverse("accounts:role_add", args=[self.coordinator.pk]) in content

    def test_the_history_records_who_changed_the_user(self) -> None:
        self.client.force_login(self.admin)
        self.client.post(url(self.reader), data())
        assert self.reader.history.latest().history_user == self.admin  # type: ignore[attr-defined]

    def test_a_user_of_another_organisation_is_not_found(self) -> None:
        self.client.force_login(self.admin)
        assert self.client.get(url(self.outsider)).status_code == 404

    def test_an_administrator_of_another_organisation_does_not_find_our_users(self) -> None:
        other_admin = make_user("grannadmin", self.other_organisation, [(Role.ADMIN, None)])
        self.client.force_login(other_admin)
        assert self.client.post(url(self.reader), data()).status_code == 404
        self.reader.refresh_from_db()
        assert self.reader.first_name == ""

    def test_a_coordinator_may_not_change_users(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.post(url(self.reader), data()).status_code == 403

    def test_a_reader_may_not_change_users(self) -> None:
        self.client.force_login(self.reader)
        assert self.client.get(url(self.reader)).status_code == 403

    def test_it_sends_anonymous_visitors_to_the_login(self) -> None:
        response = self.client.get(url(self.reader))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_it_rejects_delete(self) -> None:
        self.client.force_login(self.admin)
        assert self.client.delete(url(self.reader)).status_code == 405
        assert User.objects.filter(pk=self.reader.pk).exists()


class UserEditScopeTests(AdministratorScopeTestCase):
    """An administrator may not take over anyone whose access is wider than their own."""

    def assert_not_found_and_unchanged(self, admin: User, person: User) -> None:
        before = User.objects.get(pk=person.pk).email
        self.client.force_login(admin)
        assert self.client.get(url(person)).status_code == 404
        changed = data(username=person.username, email="angripare@example.se")
        assert self.client.post(url(person), changed).status_code == 404
        person.refresh_from_db()
        assert (person.email, person.pending_email) == (before, "")
        assert mail.outbox == []

    def test_an_administrator_cannot_see_or_change_a_superuser(self) -> None:
        self.assert_not_found_and_unchanged(self.admin, self.superuser)

    def test_an_administrator_cannot_see_or_change_a_staff_user(self) -> None:
        self.assert_not_found_and_unchanged(self.admin, self.staff)

    def test_a_unit_administrator_cannot_change_a_user_with_an_organisation_wide_role(
        self,
    ) -> None:
        self.assert_not_found_and_unchanged(self.sn_admin, self.reader)

    def test_a_unit_administrator_cannot_change_the_organisations_administrator(self) -> None:
        self.assert_not_found_and_unchanged(self.sn_admin, self.admin)

    def test_a_unit_administrator_cannot_change_a_user_with_a_role_elsewhere_too(self) -> None:
        both = make_user(
            "bada", self.organisation, [(Role.READER, self.sf), (Role.READER, self.bn)]
        )
        self.assert_not_found_and_unchanged(self.sn_admin, both)

    def test_a_unit_administrator_changes_a_user_wholly_inside_their_units(self) -> None:
        self.client.force_login(self.sn_admin)
        response = self.client.post(url(self.responsible), data(username="ansvarig"))
        assert response.status_code == 302
        self.responsible.refresh_from_db()
        assert (self.responsible.first_name, self.responsible.pending_email) == (
            "Lisa",
            "lisa@example.se",
        )

    def test_a_superuser_of_the_organisation_may_change_its_staff_users(self) -> None:
        self.client.force_login(self.superuser)
        assert self.client.get(url(self.staff)).status_code == 200

from __future__ import annotations

from django.urls import reverse

from internkontroll.accounts.models import Role, User
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
        response = self.client.post(url(self.reader), data())
        assert response.status_code == 302
        self.reader.refresh_from_db()
        assert (self.reader.first_name, self.reader.email) == ("Lisa", "lisa@example.se")

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

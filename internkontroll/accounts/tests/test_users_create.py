from __future__ import annotations

from django.urls import reverse

from internkontroll.accounts.models import Role, User
from internkontroll.test import BaseTestCase, make_user

URL = reverse("accounts:user_create")
DATA = {
    "username": "nyperson",
    "first_name": "Nina",
    "last_name": "Ny",
    "email": "nina.ny@example.se",
    "is_active": "on",
}


class UserCreateTests(BaseTestCase):
    def test_an_administrator_creates_a_user_of_the_organisation(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(URL, DATA)
        user = User.objects.get(username="nyperson")
        assert response.status_code == 302
        assert response.url == reverse("accounts:user_edit", args=[user.pk])
        assert (user.organisation, user.email, user.is_active) == (
            self.organisation,
            "nina.ny@example.se",
            True,
        )

    def test_the_new_user_has_no_usable_password(self) -> None:
        self.client.force_login(self.admin)
        self.client.post(URL, DATA)
        assert not User.objects.get(username="nyperson").has_usable_password()

    def test_the_history_records_who_created_the_user(self) -> None:
        self.client.force_login(self.admin)
        self.client.post(URL, DATA)
        user = User.objects.get(username="nyperson")
        assert user.history.latest().history_user == self.admin  # type: ignore[attr-defined]

    def test_an_e_mail_taken_in_the_organisation_is_refused_whatever_its_case(self) -> None:
        self.coordinator.email = "Sam.Ordnare@example.se"
        self.coordinator.save()
        self.client.force_login(self.admin)
        response = self.client.post(URL, {**DATA, "email": "sam.ordnare@EXAMPLE.se"})
        assert response.status_code == 422
        assert "email" in response.context["form"].errors
        assert response.context["form"]["username"].value() == "nyperson"
        assert not User.objects.filter(username="nyperson").exists()

    def test_an_e_mail_used_in_another_organisation_is_allowed(self) -> None:
        self.outsider.email = "nina.ny@example.se"
        self.outsider.save()
        self.client.force_login(self.admin)
        assert self.client.post(URL, DATA).status_code == 302

    def test_an_e_mail_is_required(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(URL, {**DATA, "email": ""})
        assert response.status_code == 422
        assert "email" in response.context["form"].errors

    def test_an_administrator_of_another_organisation_creates_users_there(self) -> None:
        other_admin = make_user("grannadmin", self.other_organisation, [(Role.ADMIN, None)])
        self.client.force_login(other_admin)
        self.client.post(URL, DATA)
        assert User.objects.get(username="nyperson").organisation == self.other_organisation

    def test_a_coordinator_may_not_create_users(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.post(URL, DATA).status_code == 403
        assert not User.objects.filter(username="nyperson").exists()

    def test_a_reader_may_not_create_users(self) -> None:
        self.client.force_login(self.reader)
        assert self.client.get(URL).status_code == 403

    def test_it_sends_anonymous_visitors_to_the_login(self) -> None:
        response = self.client.get(URL)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_it_rejects_put(self) -> None:
        self.client.force_login(self.admin)
        assert self.client.put(URL).status_code == 405

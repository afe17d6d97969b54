from django.test import override_settings
from django.urls import reverse

from internkontroll.test import PASSWORD, BaseTestCase


class LoginTests(BaseTestCase):
    def test_a_user_logs_in_and_lands_on_my_tasks(self) -> None:
        response = self.client.post(
            reverse("accounts:login"), {"username": "ansvarig", "password": PASSWORD}
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("followups:mine")

    def test_a_wrong_password_is_refused_in_swedish(self) -> None:
        response = self.client.post(
            reverse("accounts:login"), {"username": "ansvarig", "password": "fel"}
        )
        assert response.status_code == 200
        assert "användarnamn" in response.content.decode().lower()

    def test_logging_out_needs_post(self) -> None:
        self.client.force_login(self.reader)
        assert self.client.get(reverse("accounts:logout")).status_code == 405
        assert self.client.post(reverse("accounts:logout")).status_code == 302
        assert self.client.get(reverse("followups:mine")).status_code == 302

    def test_the_page_speaks_swedish_whatever_the_browser_asks_for(self) -> None:
        response = self.client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US")
        assert '<html lang="sv">' in response.content.decode()
        assert "Logga in" in response.content.decode()

    def test_english_can_be_chosen(self) -> None:
        self.client.post(reverse("set_language"), {"language": "en", "next": "/"})
        response = self.client.get(reverse("accounts:login"))
        assert '<html lang="en">' in response.content.decode()


class DemoLoginTests(BaseTestCase):
    def test_demo_logins_do_not_exist_outside_demo_mode(self) -> None:
        response = self.client.post(reverse("accounts:demo_login"), {"username": "ansvarig"})
        assert response.status_code == 404
        assert "demo" not in self.client.get(reverse("accounts:login")).content.decode().lower()

    @override_settings(DEMO_MODE=True)
    def test_in_demo_mode_a_demo_user_logs_in_with_one_click(self) -> None:
        page = self.client.get(reverse("accounts:login")).content.decode()
        assert "Erik Holm" in page
        response = self.client.post(reverse("accounts:demo_login"), {"username": "ansvarig"})
        assert response.status_code == 302
        assert self.client.get(reverse("followups:mine")).status_code == 200

    @override_settings(DEMO_MODE=True)
    def test_only_the_demo_users_can_be_chosen(self) -> None:
        response = self.client.post(reverse("accounts:demo_login"), {"username": "utomstaende"})
        assert response.status_code == 404

    @override_settings(DEMO_MODE=True)
    def test_demo_login_rejects_get(self) -> None:
        assert self.client.get(reverse("accounts:demo_login")).status_code == 405

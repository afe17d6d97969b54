import datetime

import time_machine
from django.conf import settings
from django.urls import reverse

from internkontroll.test import PASSWORD, BaseTestCase

MORNING = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)


class LoginSessionTests(BaseTestCase):
    def log_in(self):  # type: ignore[no-untyped-def]
        return self.client.post(
            reverse("accounts:login"), {"username": "ansvarig", "password": PASSWORD}
        )

    def test_a_tampered_session_cookie_leaves_the_visitor_logged_out(self) -> None:
        self.log_in()
        cookie = self.client.cookies[settings.SESSION_COOKIE_NAME]
        cookie.set(cookie.key, cookie.value[:-1] + ("a" if cookie.value[-1] != "a" else "b"), "")
        response = self.client.get(reverse("followups:mine"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert "_auth_user_id" not in self.client.session

    def test_a_made_up_session_cookie_leaves_the_visitor_logged_out(self) -> None:
        self.client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
        assert self.client.get(reverse("followups:mine")).status_code == 302

    def test_the_session_cookie_ends_with_the_browser_and_is_hidden_from_scripts(self) -> None:
        cookie = self.log_in().cookies[settings.SESSION_COOKIE_NAME]
        assert cookie["max-age"] == ""
        assert cookie["expires"] == ""
        assert cookie["httponly"] is True

    def test_a_login_ends_after_eight_hours(self) -> None:
        with time_machine.travel(MORNING, tick=False) as traveller:
            self.log_in()
            traveller.shift(datetime.timedelta(hours=7, minutes=59))
            assert self.client.get(reverse("followups:mine")).status_code == 200
            traveller.shift(datetime.timedelta(minutes=2))
            assert self.client.get(reverse("followups:mine")).status_code == 302

    def test_logging_in_gives_a_new_session_key(self) -> None:
        self.client.get(reverse("accounts:login"))
        self.client.session.save()
        before = self.client.cookies[settings.SESSION_COOKIE_NAME].value
        self.log_in()
        assert self.client.cookies[settings.SESSION_COOKIE_NAME].value != before

    def test_the_test_clients_login_still_works_beside_the_lockout(self) -> None:
        assert self.client.login(username="ansvarig", password=PASSWORD)
        assert not self.client.login(username="ansvarig", password="fel")

    def test_logging_out_forgets_the_session_on_the_server(self) -> None:
        self.log_in()
        old_cookie = self.client.cookies[settings.SESSION_COOKIE_NAME].value
        self.client.post(reverse("accounts:logout"))
        self.client.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
        assert self.client.get(reverse("followups:mine")).status_code == 302

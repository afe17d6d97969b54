import datetime

import time_machine
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from internkontroll.test import PASSWORD, BaseTestCase

MORNING = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)
ELSEWHERE = "192.0.2.7"  # an address from the documentation range, never contacted


class LoginLockoutTests(BaseTestCase):
    def setUp(self) -> None:
        self.traveller = self.enterContext(time_machine.travel(MORNING, tick=False))

    def log_in(self, password: str, username: str = "ansvarig", **extra: str):  # type: ignore[no-untyped-def]
        return self.client.post(
            reverse("accounts:login"), {"username": username, "password": password}, **extra
        )

    def fail(self, times: int, username: str = "ansvarig") -> None:
        for _attempt in range(times):
            self.log_in("fel-lösenord", username)

    def test_the_limit_is_five_failures_with_fifteen_minutes_cool_off(self) -> None:
        assert settings.AXES_FAILURE_LIMIT == 5
        assert settings.AXES_COOLOFF_TIME / datetime.timedelta(minutes=1) == 15

    def test_failures_below_the_limit_only_show_the_login_form_again(self) -> None:
        for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            assert self.log_in("fel-lösenord").status_code == 200
        assert self.log_in(PASSWORD).status_code == 302

    def test_the_failure_that_reaches_the_limit_locks_the_user_out_in_swedish(self) -> None:
        self.fail(settings.AXES_FAILURE_LIMIT - 1)
        response = self.log_in("fel-lösenord")
        assert response.status_code == 429
        page = response.content.decode()
        assert "För många misslyckade försök att logga in som den här användaren." in page
        assert "Försök igen om 15 minuter." in page
        assert "Traceback" not in page
        assert '<html lang="sv">' in page

    def test_the_right_password_is_refused_too_while_locked_out(self) -> None:
        self.fail(settings.AXES_FAILURE_LIMIT)
        response = self.log_in(PASSWORD)
        assert response.status_code == 429
        assert "_auth_user_id" not in self.client.session
        assert self.client.get(reverse("followups:mine")).status_code == 302

    def test_the_right_password_works_again_after_the_cool_off(self) -> None:
        self.fail(settings.AXES_FAILURE_LIMIT)
        self.traveller.shift(datetime.timedelta(minutes=14))
        assert self.log_in(PASSWORD).status_code == 429
        self.traveller.shift(datetime.timedelta(minutes=2))
        assert self.log_in(PASSWORD).status_code == 302
        assert self.client.get(reverse("followups:mine")).status_code == 200

    def test_a_successful_login_clears_the_earlier_failures(self) -> None:
        self.fail(settings.AXES_FAILURE_LIMIT - 1)
        assert self.log_in(PASSWORD).status_code == 302
        self.client.post(reverse("accounts:logout"))
        self.fail(settings.AXES_FAILURE_LIMIT - 1)
        assert self.log_in(PASSWORD).status_code == 302

    def test_other_users_from_the_same_address_can_still_log_in(self) -> None:
        self.fail(settings.AXES_FAILURE_LIMIT)
        assert self.log_in(PASSWORD, username="lasare").status_code == 302

    def test_the_same_user_from_another_address_can_still_log_in(self) -> None:
        self.fail(settings.AXES_FAILURE_LIMIT)
        assert self.log_in(PASSWORD, REMOTE_ADDR=ELSEWHERE).status_code == 302

    @override_settings(AXES_FAILURE_LIMIT=2)
    def test_the_limit_follows_the_setting(self) -> None:
        self.fail(1)
        assert self.log_in("fel-lösenord").status_code == 429

    def test_the_locked_out_page_still_offers_the_password_reset(self) -> None:
        self.fail(settings.AXES_FAILURE_LIMIT)
        response = self.log_in(PASSWORD)
        assert reverse("accounts:password_reset") in response.content.decode()

    def test_the_admin_login_is_locked_out_as_well(self) -> None:
        self.admin.is_staff = True
        self.admin.save(update_fields=["is_staff"])
        self.fail(settings.AXES_FAILURE_LIMIT, username="admin")
        response = self.client.post(
            reverse("admin:login"), {"username": "admin", "password": PASSWORD}
        )
        assert response.status_code == 429


PROXY = "10.0.0.2"  # the one reverse proxy every client comes through
ALICE, MALLORY = "198.51.100.10", "203.0.113.66"


@override_settings(TRUSTED_PROXY_COUNT=1)
class LoginLockoutBehindAProxyTests(BaseTestCase):
    def setUp(self) -> None:
        self.enterContext(time_machine.travel(MORNING, tick=False))

    def log_in(self, password: str, forwarded_for: str):  # type: ignore[no-untyped-def]
        return self.client.post(
            reverse("accounts:login"),
            {"username": "ansvarig", "password": password},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    def test_locking_one_client_out_does_not_lock_out_another_behind_the_same_proxy(self) -> None:
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            self.log_in("fel-lösenord", MALLORY)
        assert self.log_in(PASSWORD, MALLORY).status_code == 429
        assert self.log_in(PASSWORD, ALICE).status_code == 302

    def test_a_forged_forwarded_for_does_not_escape_the_count(self) -> None:
        # The proxy appends the address it saw; what the client sent stays on the left.
        for attempt in range(settings.AXES_FAILURE_LIMIT):
            self.log_in("fel-lösenord", f"192.0.2.{attempt}, {MALLORY}")
        assert self.log_in(PASSWORD, f"{ALICE}, {MALLORY}").status_code == 429
        assert self.log_in(PASSWORD, ALICE).status_code == 302

    @override_settings(TRUSTED_PROXY_COUNT=0)
    def test_without_a_trusted_proxy_the_forwarded_for_header_is_ignored(self) -> None:
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            self.log_in("fel-lösenord", MALLORY)
        assert self.log_in(PASSWORD, ALICE).status_code == 429

"""Personal access tokens: made on the account page or with `ik token create`, shown once,
stored hashed, expiring, revocable, counted per hour; and the browser's session with CSRF."""

from __future__ import annotations

import datetime
import io

import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from internkontroll.api.actions import create_token, revoke_token
from internkontroll.api.models import AccessToken, hash_key
from internkontroll.test import BaseTestCase


class TokenAuthenticationTests(BaseTestCase):
    def get(self, key: str | None, path: str = "/api/risks") -> object:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return Client().get(path, headers=headers)

    def test_a_token_reads_as_its_user(self) -> None:
        _token, key = create_token(
            self.coordinator, name="BI", expires_in_days=30, acting_user=self.coordinator
        )
        response = self.get(key)
        assert response.status_code == 200
        assert [risk["title"] for risk in response.json()["items"]] == ["Felaktiga utbetalningar"]

    def test_only_the_tokens_hash_is_stored(self) -> None:
        token, key = create_token(
            self.reader, name="BI", expires_in_days=None, acting_user=self.reader
        )
        stored = AccessToken.objects.get(pk=token.pk)
        assert stored.key_hash == hash_key(key)
        assert key not in str(AccessToken.objects.filter(pk=token.pk).values().get())
        assert key.startswith(stored.hint)

    def test_it_records_when_a_token_was_last_used(self) -> None:
        token, key = create_token(self.reader, name="BI", expires_in_days=None, acting_user=None)
        assert token.last_used_at is None
        self.get(key)
        token.refresh_from_db()
        assert token.last_used_at is not None

    def test_a_wrong_revoked_or_expired_token_is_refused_with_a_problem(self) -> None:
        revoked, revoked_key = create_token(
            self.reader, name="a", expires_in_days=None, acting_user=None
        )
        revoke_token(revoked, acting_user=self.reader)
        _expiring, expiring_key = create_token(
            self.reader, name="b", expires_in_days=1, acting_user=None
        )
        later = timezone.now() + datetime.timedelta(days=2)
        for key in ("ik_fel", revoked_key, None):
            response = self.get(key)
            assert response.status_code == 401
            assert response["Content-Type"] == "application/problem+json"
            assert response.json()["title"] == "Inte inloggad"
        with time_machine.travel(later):
            assert self.get(expiring_key).status_code == 401

    def test_a_token_of_a_deactivated_user_is_refused(self) -> None:
        _token, key = create_token(self.reader, name="a", expires_in_days=None, acting_user=None)
        self.reader.is_active = False
        self.reader.save()
        assert self.get(key).status_code == 401

    @override_settings(IK_API_RATE_LIMIT=2)
    def test_a_token_past_its_hourly_limit_gets_429(self) -> None:
        _token, key = create_token(self.reader, name="a", expires_in_days=None, acting_user=None)
        _other, other_key = create_token(
            self.reader, name="b", expires_in_days=None, acting_user=None
        )
        assert [self.get(key).status_code for _ in range(3)] == [200, 200, 429]
        refused = self.get(key)
        assert refused["Retry-After"] == "3600"
        assert "för många" in refused.json()["detail"]
        assert self.get(other_key).status_code == 200


class SessionTests(BaseTestCase):
    def test_a_logged_in_browser_reads_with_its_session(self) -> None:
        client = Client()
        client.force_login(self.reader)
        assert client.get("/api/risks").status_code == 200

    def test_a_change_from_the_browser_needs_the_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.coordinator)
        response = client.patch(
            f"/api/actions/{self.sn_action.pk}",
            '{"title": "Ändrad"}',
            content_type="application/json",
            headers={"If-Match": '"v1"'},
        )
        assert response.status_code == 403
        assert "CSRF" in response.json()["detail"]
        client.get(reverse("api_pages:tokens"))  # sets the CSRF cookie, as any page does
        response = client.patch(
            f"/api/actions/{self.sn_action.pk}",
            '{"title": "Ändrad"}',
            content_type="application/json",
            headers={"If-Match": '"v1"', "X-CSRFToken": client.cookies["csrftoken"].value},
        )
        assert response.status_code == 200


class TokenPageTests(BaseTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.reader)

    def test_it_lists_only_the_users_own_tokens(self) -> None:
        create_token(self.reader, name="Min BI", expires_in_days=None, acting_user=None)
        create_token(self.coordinator, name="Någon annans", expires_in_days=None, acting_user=None)
        page = self.client.get(reverse("api_pages:tokens")).content.decode()
        assert "Min BI" in page
        assert "Någon annans" not in page

    def test_a_new_token_is_shown_once_and_works(self) -> None:
        response = self.client.post(
            reverse("api_pages:tokens"), {"name": "Power BI", "expires_in_days": "30"}
        )
        token = AccessToken.objects.get(user=self.reader)
        key = response.context["created"]["key"]
        assert key in response.content.decode()
        assert token.expires_at is not None
        assert token.history.get().history_user == self.reader
        assert key not in self.client.get(reverse("api_pages:tokens")).content.decode()
        assert (
            Client().get("/api/plans", headers={"Authorization": f"Bearer {key}"}).status_code
            == 200
        )

    def test_a_token_without_a_name_is_refused(self) -> None:
        response = self.client.post(reverse("api_pages:tokens"), {"name": ""})
        assert response.status_code == 422
        assert not AccessToken.objects.exists()

    def test_the_user_revokes_a_token(self) -> None:
        token, key = create_token(self.reader, name="a", expires_in_days=None, acting_user=None)
        response = self.client.post(reverse("api_pages:revoke", args=[token.pk]))
        assert response.status_code == 302
        token.refresh_from_db()
        assert token.revoked_at is not None
        assert (
            Client().get("/api/plans", headers={"Authorization": f"Bearer {key}"}).status_code
            == 401
        )

    def test_nobody_revokes_someone_elses_token(self) -> None:
        token, _key = create_token(
            self.coordinator, name="a", expires_in_days=None, acting_user=None
        )
        response = self.client.post(reverse("api_pages:revoke", args=[token.pk]))
        assert response.status_code == 404
        token.refresh_from_db()
        assert token.revoked_at is None

    def test_revoking_takes_a_post(self) -> None:
        token, _key = create_token(self.reader, name="a", expires_in_days=None, acting_user=None)
        assert self.client.get(reverse("api_pages:revoke", args=[token.pk])).status_code == 405

    def test_anonymous_is_sent_to_log_in(self) -> None:
        response = Client().get(reverse("api_pages:tokens"))
        assert response.status_code == 302
        assert "/konto/logga-in/" in response["Location"]


class TokenCommandTests(BaseTestCase):
    def test_it_prints_a_new_token_once(self) -> None:
        out = io.StringIO()
        call_command("token", "create", "lasare", "--expires", "30", stdout=out)
        key = out.getvalue().strip()
        token = AccessToken.objects.get(user=self.reader)
        assert token.key_hash == hash_key(key)
        assert token.expires_at is not None
        assert (
            Client().get("/api/plans", headers={"Authorization": f"Bearer {key}"}).status_code
            == 200
        )

    def test_a_token_without_expires_never_expires(self) -> None:
        call_command("token", "create", "lasare", stdout=io.StringIO())
        assert AccessToken.objects.get(user=self.reader).expires_at is None

    def test_an_unknown_user_is_an_error(self) -> None:
        with self.assertRaisesMessage(CommandError, "okand"):
            call_command("token", "create", "okand", stdout=io.StringIO())
        assert not AccessToken.objects.exists()

    @override_settings(IK_API_RATE_LIMIT=2)
    def test_a_browser_past_the_hourly_limit_gets_429_counted_per_person(self) -> None:
        browser = Client()
        browser.force_login(self.reader)
        assert [browser.get("/api/risks").status_code for _ in range(3)] == [200, 200, 429]
        refused = browser.get("/api/risks")
        assert refused["Retry-After"] == "3600"
        assert refused.json()["detail"] == (
            "Du har gjort för många anrop till API:t den här timmen. Försök igen senare."
        )
        # Another browser of the same person shares the count; another person has their own.
        second = Client()
        second.force_login(self.reader)
        assert second.get("/api/risks").status_code == 429
        other = Client()
        other.force_login(self.coordinator)
        assert other.get("/api/risks").status_code == 200

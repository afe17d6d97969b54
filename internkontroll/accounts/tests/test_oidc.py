"""Single sign-on against a stub provider served in-process: its key, tokens and userinfo."""

import json
import time
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.test import override_settings
from django.urls import reverse
from requests import Response

from internkontroll.accounts.models import User
from internkontroll.test import BaseTestCase, make_user

PROVIDER = "https://login.example.test/tenant"
CLIENT_ID = "internkontroll-test"
SSO = {
    "OIDC_ENABLED": True,
    "OIDC_RP_CLIENT_ID": CLIENT_ID,
    "OIDC_RP_CLIENT_SECRET": "hemligt",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{PROVIDER}/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": f"{PROVIDER}/token",
    "OIDC_OP_USER_ENDPOINT": f"{PROVIDER}/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": f"{PROVIDER}/keys",
}


KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def json_response(body: dict[str, Any], status: int = 200) -> Response:
    response = Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    response.headers["Content-Type"] = "application/json"
    return response


class StubProvider:
    """Answers the requests mozilla-django-oidc makes, as an OpenID provider would."""

    def __init__(self, email: str) -> None:
        self.key = KEY
        self.signing_key = KEY
        self.claims: dict[str, Any] = {"sub": "abc-123", "email": email}
        self.nonce = ""
        self.token_requests: list[dict[str, Any]] = []

    def id_token(self) -> str:
        now = int(time.time())
        payload = {
            "iss": PROVIDER,
            "aud": CLIENT_ID,
            "sub": self.claims["sub"],
            "iat": now,
            "exp": now + 3600,
            "nonce": self.nonce,
        }
        return jwt.encode(payload, self.signing_key, algorithm="RS256", headers={"kid": "k1"})

    def post(self, url: str, data: dict[str, Any], **_options: Any) -> Response:
        assert url == f"{PROVIDER}/token"
        self.token_requests.append(data)
        return json_response({"id_token": self.id_token(), "access_token": "access-token"})

    def get(self, url: str, **options: Any) -> Response:
        if url == f"{PROVIDER}/keys":
            jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
            return json_response({"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]})
        assert url == f"{PROVIDER}/userinfo"
        assert options["headers"]["Authorization"] == "Bearer access-token"
        return json_response(self.claims)


@override_settings(**SSO)
class SingleSignOnTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.elin = make_user("elin", cls.organisation)
        cls.elin.email = "Elin.Berg@exempelstad.se"
        cls.elin.save(update_fields=["email"])

    def setUp(self) -> None:
        self.provider = StubProvider("elin.berg@exempelstad.se")
        requests = "mozilla_django_oidc.auth.requests"
        self.enterContext(mock.patch(f"{requests}.post", side_effect=self.provider.post))
        self.enterContext(mock.patch(f"{requests}.get", side_effect=self.provider.get))

    def start(self, next_url: str = "") -> dict[str, str]:
        """Follow the login button to the provider; return the parameters it was sent."""
        query = f"?next={next_url}" if next_url else ""
        response = self.client.get(reverse("oidc_authentication_init") + query)
        assert response.status_code == 302
        location = urlparse(response["Location"])
        assert f"{location.scheme}://{location.netloc}{location.path}" == f"{PROVIDER}/authorize"
        parameters = {name: values[0] for name, values in parse_qs(location.query).items()}
        self.provider.nonce = parameters["nonce"]
        return parameters

    def come_back(self, state: str, code: str = "kod-från-leverantören"):  # type: ignore[no-untyped-def]
        return self.client.get(
            reverse("oidc_authentication_callback"), {"code": code, "state": state}
        )

    def logged_in_user(self) -> User | None:
        user_id = self.client.session.get("_auth_user_id")
        return User.objects.get(pk=user_id) if user_id else None

    def test_the_login_page_offers_the_organisation_account(self) -> None:
        page = self.client.get(reverse("accounts:login")).content.decode()
        assert reverse("oidc_authentication_init") in page
        assert "Logga in med organisationens konto" in page

    def test_the_provider_is_asked_for_a_code_with_state_nonce_and_pkce(self) -> None:
        parameters = self.start()
        assert parameters["client_id"] == CLIENT_ID
        assert parameters["response_type"] == "code"
        assert parameters["redirect_uri"] == "http://testserver/oidc/callback/"
        assert parameters["state"] and parameters["nonce"]
        assert parameters["code_challenge_method"] == "S256"

    def test_a_user_with_the_vouched_e_mail_is_logged_in(self) -> None:
        state = self.start()["state"]
        response = self.come_back(state)
        assert response.status_code == 302
        assert response["Location"] == reverse("followups:mine")
        assert self.logged_in_user() == self.elin
        assert self.client.session[BACKEND_SESSION_KEY].endswith("OrganisationAccountBackend")
        assert self.client.get(reverse("followups:mine")).status_code == 200
        token_request = self.provider.token_requests[0]
        assert token_request["code"] == "kod-från-leverantören"
        assert token_request["code_verifier"]

    def test_the_e_mail_matches_whatever_its_case(self) -> None:
        self.provider.claims["email"] = "ELIN.BERG@EXEMPELSTAD.SE"
        self.come_back(self.start()["state"])
        assert self.logged_in_user() == self.elin

    def test_the_user_lands_where_they_were_going(self) -> None:
        state = self.start(next_url=reverse("risks:overview"))["state"]
        assert self.come_back(state)["Location"] == reverse("risks:overview")

    def test_an_unknown_e_mail_is_refused_in_swedish_and_no_user_is_created(self) -> None:
        self.provider.claims["email"] = "okand@exempelstad.se"
        users = User.objects.count()
        response = self.come_back(self.start()["state"])
        assert response["Location"] == reverse("accounts:login")
        assert self.logged_in_user() is None
        assert User.objects.count() == users
        page = self.client.get(response["Location"]).content.decode()
        assert "Ditt konto i organisationen är inte användare i Internkontroll." in page

    def test_an_inactive_user_is_refused(self) -> None:
        User.objects.filter(pk=self.elin.pk).update(is_active=False)
        self.come_back(self.start()["state"])
        assert self.logged_in_user() is None

    def test_an_e_mail_the_provider_has_not_verified_is_refused(self) -> None:
        self.provider.claims["email_verified"] = False
        self.come_back(self.start()["state"])
        assert self.logged_in_user() is None

    def test_a_token_signed_with_another_key_is_refused(self) -> None:
        self.provider.signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        response = self.come_back(self.start()["state"])
        assert response.status_code == 400
        assert self.logged_in_user() is None

    def test_a_token_for_another_login_attempt_is_refused(self) -> None:
        state = self.start()["state"]
        self.provider.nonce = "en-annan-inloggning"
        assert self.come_back(state).status_code == 400
        assert self.logged_in_user() is None

    def test_a_state_that_was_not_handed_out_is_refused(self) -> None:
        self.start()
        assert self.come_back("påhittat-tillstånd").status_code == 400
        assert self.logged_in_user() is None

    def test_a_state_cannot_be_used_twice(self) -> None:
        state = self.start()["state"]
        assert self.come_back(state).status_code == 302
        assert self.come_back(state).status_code == 400
        assert len(self.provider.token_requests) == 1

    def test_a_refusal_from_the_provider_is_explained_on_the_login_page(self) -> None:
        state = self.start()["state"]
        response = self.client.get(
            reverse("oidc_authentication_callback"), {"error": "access_denied", "state": state}
        )
        assert response["Location"] == reverse("accounts:login")
        page = self.client.get(response["Location"]).content.decode()
        assert "Inloggningen med organisationens konto misslyckades." in page

    def test_a_user_logged_in_with_the_organisation_account_logs_out_with_post(self) -> None:
        self.come_back(self.start()["state"])
        assert self.client.get(reverse("accounts:logout")).status_code == 405
        assert self.logged_in_user() == self.elin
        assert self.client.post(reverse("accounts:logout")).status_code == 302
        assert self.logged_in_user() is None
        assert self.client.get(reverse("followups:mine")).status_code == 302

    def test_refusals_from_one_address_do_not_lock_single_sign_on(self) -> None:
        self.provider.claims["email"] = "okand@exempelstad.se"
        for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
            assert self.come_back(self.start()["state"]).status_code == 302
        self.provider.claims["email"] = "elin.berg@exempelstad.se"
        self.come_back(self.start()["state"])
        assert self.logged_in_user() == self.elin

    def test_a_locked_out_password_user_can_still_log_in_with_the_organisation_account(
        self,
    ) -> None:
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            self.client.post(reverse("accounts:login"), {"username": "elin", "password": "fel"})
        self.come_back(self.start()["state"])
        assert self.logged_in_user() == self.elin

    def test_a_password_login_never_reaches_the_provider(self) -> None:
        login = reverse("accounts:login") + "?code=stulen&state=x"
        self.client.post(login, {"username": "elin", "password": "fel"})
        assert self.provider.token_requests == []


class SingleSignOnOffTests(BaseTestCase):
    def test_without_a_client_id_there_is_no_button(self) -> None:
        page = self.client.get(reverse("accounts:login")).content.decode()
        assert reverse("oidc_authentication_init") not in page

    def test_without_a_client_id_the_routes_do_not_exist(self) -> None:
        assert self.client.get(reverse("oidc_authentication_init")).status_code == 404
        callback = reverse("oidc_authentication_callback")
        assert self.client.get(callback, {"code": "x", "state": "y"}).status_code == 404

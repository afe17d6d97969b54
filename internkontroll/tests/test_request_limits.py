"""Request bodies over IK_MAX_REQUEST_BYTES: refused with a 413 page before anything reads them."""

from unittest import mock

from django.conf import settings
from django.http.multipartparser import MultiPartParser
from django.test import SimpleTestCase, override_settings
from django.urls import reverse

from internkontroll.test import BaseTestCase
from internkontroll.tests.test_deploy import run_ik


@override_settings(IK_MAX_REQUEST_BYTES=1000)
class RequestSizeLimitTests(BaseTestCase):
    def post_to_login(self, body: bytes, **extra: str) -> object:
        return self.client.generic(
            "POST",
            reverse("accounts:login"),
            body,
            content_type="application/x-www-form-urlencoded",
            **extra,
        )

    def test_an_anonymous_post_over_the_limit_gets_413_saying_the_largest_size(self) -> None:
        response = self.post_to_login(b"username=x&password=" + b"y" * 2000)
        assert response.status_code == 413
        content = response.content.decode()
        assert "Det du skickade är för stort" in content
        assert "högst 1000\xa0byte åt gången" in content or "högst 1000 byte åt gången" in content

    def test_the_body_is_refused_on_its_declared_length_without_being_read(self) -> None:
        # The test client's payload refuses reads past its 10 bytes, so reading would fail loudly.
        with mock.patch.object(MultiPartParser, "parse") as parse:
            response = self.client.generic(
                "POST",
                reverse("accounts:login"),
                b"0123456789",
                content_type="multipart/form-data; boundary=x",
                CONTENT_LENGTH=str(300 * 1024 * 1024),
            )
        assert response.status_code == 413
        assert not parse.called

    def test_a_post_at_the_limit_is_handled_as_usual(self) -> None:
        body = b"username=x&password=" + b"y" * 980
        assert len(body) == 1000
        response = self.post_to_login(body)
        assert response.status_code == 200
        assert "Det du skickade är för stort" not in response.content.decode()

    def test_a_nonsense_length_is_no_reason_to_refuse(self) -> None:
        response = self.client.get(reverse("accounts:login"), CONTENT_LENGTH="många")
        assert response.status_code == 200

    def test_the_page_is_in_the_site_layout_with_a_way_back(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(reverse("followups:mine"), {"text": "x" * 2000})
        assert response.status_code == 413
        content = response.content.decode()
        assert 'class="site-header"' in content
        assert "app.css" in content
        assert f'href="{reverse("followups:mine")}"' in content
        assert "Gå till Mina uppgifter" in content

    def test_someone_who_chose_english_gets_the_page_in_english(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = self.post_to_login(b"x" * 2000)
        assert response.status_code == 413
        assert "What you sent is too large" in response.content.decode()


class DefaultLimitTests(SimpleTestCase):
    def test_the_default_leaves_room_for_the_largest_evidence_file_and_document(self) -> None:
        assert settings.IK_MAX_REQUEST_BYTES > settings.IK_EVIDENCE_MAX_BYTES
        assert settings.IK_MAX_REQUEST_BYTES > settings.IK_IMPORT_MAX_BYTES

    def test_a_limit_below_the_evidence_limit_stops_the_site_from_starting(self) -> None:
        result = run_ik("check", IK_MAX_REQUEST_BYTES="1000000")
        assert result.returncode != 0
        assert "IK_MAX_REQUEST_BYTES must be larger than IK_EVIDENCE_MAX_BYTES" in result.stderr

    def test_the_default_follows_a_larger_evidence_limit(self) -> None:
        result = run_ik(
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings; print(settings.IK_MAX_REQUEST_BYTES)",
            IK_EVIDENCE_MAX_BYTES=str(80 * 1024 * 1024),
        )
        assert result.stdout.strip() == str(81 * 1024 * 1024)

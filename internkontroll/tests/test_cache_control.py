"""What a logged-in user receives is never kept by a shared or browser cache."""

from tempfile import TemporaryDirectory

from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse

from internkontroll.accounts.models import User
from internkontroll.followups.models import Evidence
from internkontroll.test import BaseTestCase

PRIVATE = "private, no-store"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class CacheControlTests(BaseTestCase):
    def test_a_page_for_a_logged_in_user_is_not_stored(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(reverse("risks:overview"))
        assert response.status_code == 200
        assert response["Cache-Control"] == PRIVATE

    def test_an_htmx_fragment_is_not_stored(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(
            reverse("reports:report", args=["risk-picture", self.sn_plan.pk]),
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        assert response["Cache-Control"] == PRIVATE

    def test_a_report_download_is_not_stored(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(
            reverse("reports:report", args=["risk-picture", self.sn_plan.pk]), {"format": "xlsx"}
        )
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Cache-Control"] == PRIVATE

    def test_an_evidence_download_is_not_stored(self) -> None:
        self.enterContext(override_settings(MEDIA_ROOT=self.enterContext(TemporaryDirectory())))
        evidence = Evidence(
            follow_up=self.sn_follow_up,
            name="protokoll.pdf",
            content_type="application/pdf",
            size=len(PDF),
            uploaded_by=self.coordinator,
        )
        evidence.file.save("protokoll.pdf", ContentFile(PDF))
        self.client.force_login(self.reader)
        response = self.client.get(reverse("followups:evidence", args=[evidence.pk]))
        assert response.status_code == 200
        assert response["Cache-Control"] == PRIVATE

    def test_an_error_page_for_a_logged_in_user_is_not_stored(self) -> None:
        self.client.force_login(self.outsider)
        response = self.client.get(reverse("risks:detail", args=[self.sn_risk.pk]))
        assert response.status_code == 404
        assert response["Cache-Control"] == PRIVATE

    def test_a_view_that_sets_its_own_cache_control_keeps_it(self) -> None:
        self.client.force_login(User.objects.create_superuser("drift", password="x" * 20))
        response = self.client.get(reverse("admin:index"))
        assert response.status_code == 200
        assert "no-cache" in response["Cache-Control"]
        assert response["Cache-Control"] != PRIVATE

    def test_responses_to_anonymous_visitors_are_left_alone(self) -> None:
        response = self.client.get(reverse("risks:overview"))
        assert response.status_code == 302
        assert "Cache-Control" not in response

    def test_static_files_keep_their_caching_for_logged_in_users(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get("/static/internkontroll/app.css")
        assert response.status_code == 200
        assert "max-age" in response["Cache-Control"]
        assert "no-store" not in response["Cache-Control"]

import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from internkontroll.followups.models import Evidence
from internkontroll.risks.models import Action
from internkontroll.test import BaseTestCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class EvidenceTests(BaseTestCase):
    def setUp(self) -> None:
        self.media = self.enterContext(tempfile.TemporaryDirectory())
        self.enterContext(override_settings(MEDIA_ROOT=self.media))
        Action.objects.filter(pk=self.sn_action.pk).update(assignee=self.responsible)

    def report(self, *files: SimpleUploadedFile) -> object:
        self.client.force_login(self.responsible)
        return self.client.post(
            reverse("followups:report_action", args=[self.sn_action.pk]),
            {
                "period": self.organisation.periods.get(code="T2").pk,
                "date": "2025-09-05",
                "status": "in_progress",
                "comment": "Se bifogat protokoll.",
                "version": 1,
                "evidence": list(files),
            },
        )

    def test_files_are_attached_to_the_follow_up_and_served_to_people_who_may_see_it(self) -> None:
        response = self.report(
            SimpleUploadedFile("protokoll.pdf", PDF), SimpleUploadedFile("bild.png", PNG)
        )
        assert response.status_code == 302
        pdf = Evidence.objects.get(name="protokoll.pdf")
        assert pdf.content_type == "application/pdf"
        assert pdf.file.path.startswith(self.media)
        assert "protokoll" not in pdf.file.name  # stored under a random name
        self.client.force_login(self.reader)
        download = self.client.get(reverse("followups:evidence", args=[pdf.pk]))
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == PDF
        assert "attachment" in download["Content-Disposition"]
        assert download["X-Content-Type-Options"] == "nosniff"

    def test_outsiders_and_anonymous_users_cannot_download(self) -> None:
        self.report(SimpleUploadedFile("protokoll.pdf", PDF))
        pdf = Evidence.objects.get()
        url = reverse("followups:evidence", args=[pdf.pk])
        self.client.logout()
        assert self.client.get(url).status_code == 302
        self.client.force_login(self.outsider)
        assert self.client.get(url).status_code == 404

    def test_a_file_that_is_not_a_document_or_image_is_refused_and_nothing_is_stored(self) -> None:
        response = self.report(SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf at all"))
        assert response.status_code == 422
        assert "virus.pdf" in response.content.decode()
        assert not Evidence.objects.exists()
        assert self.sn_action.follow_ups.count() == 1

    @override_settings(IK_EVIDENCE_MAX_BYTES=1024)
    def test_a_file_that_is_too_large_is_refused(self) -> None:
        big = SimpleUploadedFile("stor.pdf", PDF + b"0" * 2048)
        response = self.report(big)
        assert response.status_code == 422
        assert "stor.pdf" in response.content.decode()
        assert not Evidence.objects.exists()

    def test_the_download_rejects_post(self) -> None:
        self.report(SimpleUploadedFile("protokoll.pdf", PDF))
        assert (
            self.client.post(
                reverse("followups:evidence", args=[Evidence.objects.get().pk])
            ).status_code
            == 405
        )

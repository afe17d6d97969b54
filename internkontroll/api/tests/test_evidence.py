"""Evidence through the API: reports bring files as the report page's multipart form does,
checked by the page's rules, and a file's contents are served as the page serves them."""

from __future__ import annotations

import datetime
import tempfile
from typing import Any

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from internkontroll.api.tests.helpers import ApiTestCase
from internkontroll.followups.models import Evidence, FollowUp

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
V1 = {"If-Match": '"v1"'}


@time_machine.travel(datetime.datetime(2025, 9, 10, 10, tzinfo=datetime.UTC), tick=False)
class EvidenceUploadTests(ApiTestCase):
    def setUp(self) -> None:
        self.media = self.enterContext(tempfile.TemporaryDirectory())
        self.enterContext(override_settings(MEDIA_ROOT=self.media))
        self.period = self.organisation.periods.get(code="T2").pk

    def post(self, persona: str, path: str, fields: dict[str, Any], **headers: str) -> Any:
        """A multipart POST to /api<path>, as the report page's form sends it."""
        headers["Authorization"] = f"Bearer {self.keys[persona]}"
        return Client().post(f"/api{path}", fields, headers=headers)

    def report_action(self, persona: str, *files: SimpleUploadedFile, **headers: str) -> Any:
        fields = {
            "period": self.period,
            "date": "2025-09-05",
            "status": "in_progress",
            "comment": "Se bifogat protokoll.",
            "evidence": list(files),
        }
        return self.post(persona, f"/actions/{self.sn_action.pk}/follow-ups", fields, **headers)

    def test_the_person_assigned_reports_with_a_file_that_lands_in_the_history(self) -> None:
        response = self.report_action("responsible", SimpleUploadedFile("protokoll.pdf", PDF), **V1)
        assert response.status_code == 201, response.content
        [metadata] = response.json()["evidence"]
        assert metadata["name"] == "protokoll.pdf"
        assert metadata["content_type"] == "application/pdf"
        assert metadata["size"] == len(PDF)
        assert metadata["uploaded_by"] == self.responsible.pk
        evidence = Evidence.objects.get(pk=metadata["id"])
        assert evidence.file.read() == PDF
        assert evidence.history.get().history_user == self.responsible
        follow_up = FollowUp.objects.get(pk=response.json()["id"])
        assert follow_up.history.get().history_user == self.responsible
        assert (follow_up.status, follow_up.comment) == ("in_progress", "Se bifogat protokoll.")

    def test_a_control_activity_report_takes_files_too(self) -> None:
        fields = {
            "period": self.period,
            "date": "2025-09-05",
            "result": "no_remarks",
            "comment": "Stickprov utan anmärkning.",
            "evidence": [SimpleUploadedFile("stickprov.pdf", PDF)],
        }
        path = f"/control-activities/{self.sn_activity.pk}/follow-ups"
        response = self.post("coordinator", path, fields, **V1)
        assert response.status_code == 201, response.content
        assert [item["name"] for item in response.json()["evidence"]] == ["stickprov.pdf"]

    def test_a_file_the_page_refuses_is_refused_in_swedish_and_nothing_is_saved(self) -> None:
        before = FollowUp.objects.count()
        program = SimpleUploadedFile("protokoll.pdf", b"MZ\x90\x00 not a pdf at all")
        response = self.report_action("responsible", program, **V1)
        assert response.status_code == 422
        assert response["Content-Type"] == "application/problem+json"
        [error] = response.json()["errors"]
        assert error["field"] == "evidence"
        assert "protokoll.pdf" in error["message"]
        assert "inte" in error["message"]  # Swedish: "… är inte en av de godtagna filtyperna"
        assert FollowUp.objects.count() == before
        assert not Evidence.objects.exists()

    @override_settings(IK_EVIDENCE_MAX_BYTES=1024)
    def test_a_file_larger_than_the_page_allows_is_refused(self) -> None:
        big = SimpleUploadedFile("stor.pdf", PDF + b"0" * 2048)
        response = self.report_action("responsible", big, **V1)
        assert response.status_code == 422
        assert "stor.pdf" in response.json()["errors"][0]["message"]
        assert not Evidence.objects.exists()

    def test_a_multipart_report_needs_if_match_like_a_json_one(self) -> None:
        response = self.report_action("responsible", SimpleUploadedFile("protokoll.pdf", PDF))
        assert response.status_code == 428
        assert not Evidence.objects.exists()

    def test_a_missing_field_is_named(self) -> None:
        path = f"/actions/{self.sn_action.pk}/follow-ups"
        response = self.post("responsible", path, {"period": self.period}, **V1)
        assert response.status_code == 422
        fields = {error["field"] for error in response.json()["errors"]}
        assert fields == {"body.date", "body.status", "body.comment"}

    def test_a_reader_may_not_attach_files(self) -> None:
        response = self.report_action("reader", SimpleUploadedFile("protokoll.pdf", PDF), **V1)
        assert response.status_code == 403
        assert not Evidence.objects.exists()

    def test_a_form_that_cannot_be_read_is_a_bad_request(self) -> None:
        response = Client().post(
            f"/api/actions/{self.sn_action.pk}/follow-ups",
            b"--x\r\nnot a part",
            content_type="multipart/form-data; boundary=",
            headers={"Authorization": f"Bearer {self.keys['responsible']}", **V1},
        )
        assert response.status_code == 400
        assert response.json()["detail"] == "Formuläret i anropet går inte att läsa."

    def test_a_body_neither_json_nor_a_form_is_refused(self) -> None:
        response = Client().post(
            f"/api/actions/{self.sn_action.pk}/follow-ups",
            "status=done",
            content_type="text/plain",
            headers={"Authorization": f"Bearer {self.keys['responsible']}", **V1},
        )
        assert response.status_code == 415
        assert response["Content-Type"] == "application/problem+json"


@time_machine.travel(datetime.datetime(2025, 9, 10, 10, tzinfo=datetime.UTC), tick=False)
class EvidenceDownloadTests(ApiTestCase):
    def setUp(self) -> None:
        self.enterContext(
            override_settings(MEDIA_ROOT=self.enterContext(tempfile.TemporaryDirectory()))
        )
        self.evidence = Evidence(
            follow_up=self.sn_follow_up,
            name="protokoll.hta",
            content_type="application/pdf",
            size=len(PDF),
            uploaded_by=self.coordinator,
        )
        self.evidence.file.save("protokoll.pdf", SimpleUploadedFile("x", PDF), save=False)
        self.evidence.save()
        self.path = f"/evidence/{self.evidence.pk}/content"

    def test_a_reader_of_the_follow_up_downloads_the_file_as_the_page_serves_it(self) -> None:
        response = self.call("reader", "GET", self.path)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        # Served under its type's extension, never the name's own, and not to be sniffed.
        assert 'attachment; filename="protokoll.hta.pdf"' in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"

    def test_the_person_below_the_committee_downloads_the_evidence_of_their_follow_ups(
        self,
    ) -> None:
        assert self.call("responsible", "GET", self.path).status_code == 200

    def test_another_organisation_and_anonymous_callers_get_nothing(self) -> None:
        outsider = self.call("outsider", "GET", self.path)
        assert outsider.status_code == 404
        assert outsider["Content-Type"] == "application/problem+json"
        assert self.call(None, "GET", self.path).status_code == 401

"""The organisation's Word template on the settings page: download the default, upload, remove."""

from __future__ import annotations

import io
import tempfile

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from internkontroll.accounts.models import Role
from internkontroll.reports.models import ReportTemplate
from internkontroll.reports.requests import make
from internkontroll.reports.word.template import PATH
from internkontroll.test import BaseTestCase, make_user

SETTINGS = reverse("organisation:settings")
DEFAULT = reverse("organisation:report_template_default")
DOWNLOAD = reverse("organisation:report_template_download")
UPLOAD = reverse("organisation:report_template_upload")
REMOVE = reverse("organisation:report_template_remove")


def word_file(header: str) -> bytes:
    document = docx.Document(str(PATH))
    document.sections[0].header.paragraphs[0].text = header
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "mall.docx") -> dict[str, SimpleUploadedFile]:
    return {"file": SimpleUploadedFile(name, content)}


class ReportTemplateUploadTests(BaseTestCase):
    def setUp(self) -> None:
        self.enterContext(
            self.settings(MEDIA_ROOT=self.enterContext(tempfile.TemporaryDirectory()))
        )

    def test_an_administrator_is_offered_the_default_template_and_the_upload(self) -> None:
        self.client.force_login(self.admin)
        html = self.client.get(SETTINGS).content.decode()
        assert "Word-mall för rapporter" in html
        assert DEFAULT in html
        assert UPLOAD in html
        assert 'enctype="multipart/form-data"' in html
        assert "Rapporterna skrivs på standardmallen." in html
        assert REMOVE not in html

    def test_a_coordinator_and_a_reader_are_not_offered_it(self) -> None:
        for user in (self.coordinator, self.reader):
            self.client.force_login(user)
            html = self.client.get(SETTINGS).content.decode()
            assert UPLOAD not in html
            assert "Word-mall för rapporter" not in html

    def test_the_default_template_downloads_as_the_committed_file(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.get(DEFAULT)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PATH.read_bytes()
        assert response["Content-Disposition"] == 'attachment; filename="rapportmall.docx"'

    def test_an_administrators_upload_becomes_the_base_of_reports(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(UPLOAD, upload(word_file("Exempelstads logga")))
        assert response.status_code == 302
        assert response["Location"] == f"{SETTINGS}#report-template"
        stored = ReportTemplate.objects.get(organisation=self.organisation)
        assert stored.history.get().history_user == self.admin
        made = make("risk-picture", self.sn_plan, fmt="docx")
        header = docx.Document(io.BytesIO(made.content)).sections[0].header.paragraphs
        assert header[0].text == "Exempelstads logga"
        html = self.client.get(SETTINGS).content.decode()
        assert "Word-mallen är uppladdad. Nya rapporter skrivs på den." in html
        assert "Rapporterna skrivs på er organisations egen mall" in html
        assert REMOVE in html and DOWNLOAD in html

    def test_a_new_upload_replaces_the_earlier_and_history_keeps_both(self) -> None:
        self.client.force_login(self.admin)
        self.client.post(UPLOAD, upload(word_file("Första")))
        self.client.post(UPLOAD, upload(word_file("Andra")))
        stored = ReportTemplate.objects.get(organisation=self.organisation)
        assert docx.Document(stored.file.open("rb")).sections[0].header.paragraphs[0].text == (
            "Andra"
        )
        assert stored.history.count() == 2
        response = self.client.get(DOWNLOAD)
        content = b"".join(response.streaming_content)
        assert docx.Document(io.BytesIO(content)).sections[0].header.paragraphs[0].text == "Andra"

    def test_a_file_that_is_not_word_is_refused_in_swedish_and_nothing_is_stored(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(UPLOAD, upload(b"%PDF-1.7 inte Word", "mall.docx"))
        assert response.status_code == 422
        assert "Filen är inte ett Word-dokument (.docx)." in response.content.decode()
        assert not ReportTemplate.objects.exists()

    def test_a_missing_file_is_refused(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(UPLOAD, {})
        assert response.status_code == 422
        assert not ReportTemplate.objects.exists()

    def test_an_administrator_removes_the_template_and_reports_use_the_default(self) -> None:
        self.client.force_login(self.admin)
        self.client.post(UPLOAD, upload(word_file("Exempelstads logga")))
        response = self.client.post(REMOVE, follow=True)
        assert not ReportTemplate.objects.exists()
        assert "Rapporterna skrivs på standardmallen igen." in response.content.decode()
        assert ReportTemplate.history.filter(history_type="-").get().history_user == self.admin
        made = make("risk-picture", self.sn_plan, fmt="docx")
        header = docx.Document(io.BytesIO(made.content)).sections[0].header.paragraphs
        assert "Exempelstads logga" not in [paragraph.text for paragraph in header]
        assert self.client.get(DOWNLOAD).status_code == 404

    def test_anonymous_is_sent_to_log_in(self) -> None:
        login = reverse("accounts:login")
        for method, url in (
            ("get", DEFAULT),
            ("get", DOWNLOAD),
            ("post", UPLOAD),
            ("post", REMOVE),
        ):
            response = getattr(self.client, method)(url)
            assert response.status_code == 302
            assert response["Location"].startswith(f"{login}?next=")

    def test_it_rejects_get_on_upload_and_remove_and_post_on_downloads(self) -> None:
        self.client.force_login(self.admin)
        assert self.client.get(UPLOAD).status_code == 405
        assert self.client.get(REMOVE).status_code == 405
        assert self.client.post(DEFAULT).status_code == 405
        assert self.client.post(DOWNLOAD).status_code == 405

    def test_a_coordinator_may_neither_upload_remove_nor_download_it(self) -> None:
        ReportTemplate.objects.create(
            organisation=self.organisation,
            file=SimpleUploadedFile("mall.docx", word_file("Exempelstads logga")),
        )
        self.client.force_login(self.coordinator)
        assert self.client.post(UPLOAD, upload(word_file("Egen"))).status_code == 403
        assert self.client.post(REMOVE).status_code == 403
        assert self.client.get(DOWNLOAD).status_code == 403
        assert ReportTemplate.objects.get().history.count() == 1

    def test_another_organisations_administrator_changes_only_their_own(self) -> None:
        ReportTemplate.objects.create(
            organisation=self.organisation,
            file=SimpleUploadedFile("mall.docx", word_file("Exempelstads logga")),
        )
        neighbour = make_user("granne", self.other_organisation, [(Role.ADMIN, None)])
        self.client.force_login(neighbour)
        assert self.client.post(UPLOAD, upload(word_file("Grannkommun"))).status_code == 302
        assert self.client.post(REMOVE).status_code == 302
        assert self.client.get(DOWNLOAD).status_code == 404
        own = ReportTemplate.objects.get()
        assert own.organisation == self.organisation

    def test_someone_without_an_organisation_gets_404(self) -> None:
        self.client.force_login(make_user("ingen", None))
        assert self.client.post(UPLOAD, upload(word_file("x"))).status_code == 404
        assert self.client.post(REMOVE).status_code == 404

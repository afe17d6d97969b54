"""Downloading, uploading, previewing and applying a workbook, for each role."""

from __future__ import annotations

import datetime
import io
import tempfile

import openpyxl
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from internkontroll.followups.models import FollowUp
from internkontroll.risks.models import Risk
from internkontroll.test import BaseTestCase
from internkontroll.workbooks.models import PendingWorkbook
from internkontroll.workbooks.tests.helpers import appended, download, edited

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def as_upload(content: bytes, name: str = "plan.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


@time_machine.travel(datetime.datetime(2025, 9, 10, 10, tzinfo=datetime.UTC), tick=False)
class WorkbookViewTests(BaseTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        media = cls.enterClassContext(tempfile.TemporaryDirectory())
        cls.enterClassContext(override_settings(MEDIA_ROOT=media))
        super().setUpClass()

    def upload(self, content: bytes, name: str = "plan.xlsx") -> object:
        self.client.force_login(self.coordinator)
        url = reverse("workbooks:upload", args=[self.sn_plan.pk])
        return self.client.post(url, {"file": as_upload(content, name)})

    def test_the_coordinator_downloads_the_plan_with_its_rows(self) -> None:
        self.client.force_login(self.coordinator)

        response = self.client.get(reverse("workbooks:download", args=[self.sn_plan.pk]))

        assert response.status_code == 200
        assert response["Content-Type"] == XLSX
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        risks = [row for row in book["Risker"].iter_rows(values_only=True)]
        assert risks[1][:3] == ("r-1", 1, "Felaktiga utbetalningar")
        assert book["Åtgärder"]["D2"].value == "Inför attest i två steg"
        assert book["Uppföljningar"]["J2"].value == "Arbetet har börjat."
        assert book["Listor"].sheet_state == "hidden"
        for sheet in ("Risker", "Åtgärder", "Kontrollaktiviteter", "Uppföljningar"):
            setup = book[sheet].page_setup
            assert (setup.paperSize, setup.orientation) == (9, "landscape")  # A4
            assert book[sheet].print_title_rows == "$1:$1"  # the headings repeat
            assert "Socialnämnden 2025" in book[sheet].oddHeader.center.text

    def test_the_template_has_the_layout_and_no_rows(self) -> None:
        self.client.force_login(self.coordinator)

        response = self.client.get(reverse("workbooks:template", args=[self.sn_plan.pk]))

        book = openpyxl.load_workbook(io.BytesIO(response.content))
        assert book["Risker"].max_row == 1
        assert book["Risker"]["C1"].value == "Rubrik"
        assert book["Om arbetsboken"]["B3"].value is None

    def test_the_sheets_have_drop_downs_from_the_matrix(self) -> None:
        book = openpyxl.load_workbook(io.BytesIO(download(self.sn_plan)))
        lists = book["Listor"]
        probability = [lists.cell(row=n, column=5).value for n in range(1, 5)]
        assert probability == self.sn_plan.risk_matrix.probability_labels
        validations = book["Risker"].data_validations.dataValidation
        sources = {str(v.sqref).split(":")[0]: v.formula1 for v in validations}
        assert sources["K2"] == "'Listor'!$E$1:$E$4"

    def test_upload_preview_and_apply(self) -> None:
        content = edited(download(self.sn_plan), "Risker", {"C2": "Dubbla utbetalningar"})
        content = appended(
            content,
            "Risker",
            ["R9", "", "Fel i löneutbetalning", "Vuxenenheten", "Ekonomi", "", "", "Beskrivning"],
        )
        content = appended(
            content,
            "Åtgärder",
            ["R9", "", "", "Kontrollera lönefiler", "", "", "", "", "ej påbörjad"],
        )
        content = appended(
            content,
            "Uppföljningar",
            ["", "r-1", "a-1", "", "T2", datetime.date(2025, 9, 1), "avslutad", "Ja", "", "Klart."],
        )

        response = self.upload(content)

        pending = PendingWorkbook.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("workbooks:preview", args=[pending.pk])
        page = self.client.get(response["Location"])
        assert page.status_code == 200
        text = page.content.decode()
        assert "Dubbla utbetalningar" in text
        assert "R9 Fel i löneutbetalning" in text
        assert "Genomför 4 ändringar" in text
        assert Risk.objects.filter(plan=self.sn_plan).count() == 1

        applied = self.client.post(
            reverse("workbooks:apply", args=[pending.pk]),
            {"fingerprint": page.context["fingerprint"]},
        )

        assert applied.status_code == 302
        assert applied["Location"] == reverse("plans:detail", args=[self.sn_plan.pk])
        self.sn_risk.refresh_from_db()
        assert self.sn_risk.title == "Dubbla utbetalningar"
        assert self.sn_risk.history.first().history_user == self.coordinator
        new = Risk.objects.get(plan=self.sn_plan, external_id="R9")
        assert (new.unit, new.area.name) == (self.sf_vux, "Ekonomi")
        assert new.actions.get().title == "Kontrollera lönefiler"
        self.sn_action.refresh_from_db()
        assert self.sn_action.status == "done"
        assert FollowUp.objects.filter(action=self.sn_action).count() == 2
        assert not PendingWorkbook.objects.exists()

    def test_a_workbook_with_errors_is_previewed_and_cannot_be_applied(self) -> None:
        content = edited(download(self.sn_plan), "Risker", {"C2": "", "K2": "Ofta"})
        self.upload(content)
        pending = PendingWorkbook.objects.get()

        page = self.client.get(reverse("workbooks:preview", args=[pending.pk]))
        applied = self.client.post(
            reverse("workbooks:apply", args=[pending.pk]),
            {"fingerprint": page.context["fingerprint"]},
        )

        text = page.content.decode()
        assert "blad Risker, rad 2" not in text  # the table names them in columns instead
        assert "K (Sannolikhet)" in text
        assert "”Ofta” är inte ett av valen" in text or "“Ofta” är inte ett av valen" in text
        assert "C (Rubrik)" in text
        assert "Genomför" not in text
        assert applied.status_code == 422
        self.sn_risk.refresh_from_db()
        assert self.sn_risk.title == "Felaktiga utbetalningar"

    def test_an_apply_after_the_plan_changed_is_refused(self) -> None:
        content = edited(download(self.sn_plan), "Risker", {"C2": "Dubbla utbetalningar"})
        self.upload(content)
        pending = PendingWorkbook.objects.get()
        page = self.client.get(reverse("workbooks:preview", args=[pending.pk]))
        Risk.objects.filter(pk=self.sn_risk.pk).update(title="Ändrad av någon annan", version=2)

        applied = self.client.post(
            reverse("workbooks:apply", args=[pending.pk]),
            {"fingerprint": page.context["fingerprint"]},
        )

        assert applied.status_code == 302
        assert applied["Location"] == reverse("workbooks:preview", args=[pending.pk])
        self.sn_risk.refresh_from_db()
        assert self.sn_risk.title == "Ändrad av någon annan"

    def test_a_person_below_the_committee_is_refused(self) -> None:
        self.client.force_login(self.responsible)
        for name in ("workbooks:download", "workbooks:template", "workbooks:upload"):
            response = self.client.get(reverse(name, args=[self.sn_plan.pk]))
            assert response.status_code == 403, name
        response = self.client.post(
            reverse("workbooks:upload", args=[self.sn_plan.pk]),
            {"file": as_upload(download(self.sn_plan))},
        )
        assert response.status_code == 403
        assert not PendingWorkbook.objects.exists()

    def test_readers_and_auditors_are_refused_and_outsiders_see_nothing(self) -> None:
        url = reverse("workbooks:download", args=[self.sn_plan.pk])
        for user, status in ((self.reader, 403), (self.auditor, 403), (self.outsider, 404)):
            self.client.force_login(user)
            assert self.client.get(url).status_code == status

    def test_anonymous_is_sent_to_login(self) -> None:
        response = self.client.get(reverse("workbooks:download", args=[self.sn_plan.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_another_persons_upload_is_not_found(self) -> None:
        self.upload(download(self.sn_plan))
        pending = PendingWorkbook.objects.get()
        self.client.force_login(self.admin)

        assert self.client.get(reverse("workbooks:preview", args=[pending.pk])).status_code == 404
        response = self.client.post(reverse("workbooks:apply", args=[pending.pk]))
        assert response.status_code == 404

    def test_an_unchanged_workbook_says_nothing_changes(self) -> None:
        self.upload(download(self.sn_plan))
        pending = PendingWorkbook.objects.get()

        page = self.client.get(reverse("workbooks:preview", args=[pending.pk]))

        assert "Inget ändras" in page.content.decode()
        assert "Genomför" not in page.content.decode()

    def test_discarding_the_upload_deletes_it(self) -> None:
        self.upload(download(self.sn_plan))
        pending = PendingWorkbook.objects.get()

        response = self.client.post(reverse("workbooks:cancel", args=[pending.pk]))

        assert response.status_code == 302
        assert not PendingWorkbook.objects.exists()

    def test_it_rejects_get_on_apply(self) -> None:
        self.upload(download(self.sn_plan))
        pending = PendingWorkbook.objects.get()
        assert self.client.get(reverse("workbooks:apply", args=[pending.pk])).status_code == 405

    def test_the_plan_page_links_to_the_workbook_for_the_coordinator_only(self) -> None:
        url = reverse("plans:detail", args=[self.sn_plan.pk])
        self.client.force_login(self.coordinator)
        assert (
            reverse("workbooks:upload", args=[self.sn_plan.pk])
            in self.client.get(url).content.decode()
        )
        self.client.force_login(self.responsible)
        assert (
            reverse("workbooks:upload", args=[self.sn_plan.pk])
            not in self.client.get(url).content.decode()
        )

    def test_a_changed_action_and_a_new_follow_up_on_it_are_applied_together(self) -> None:
        content = edited(download(self.sn_plan), "Åtgärder", {"E2": "Ny beskrivning"})
        content = edited(content, "Risker", {"H2": "Ny riskbeskrivning"})
        content = appended(
            content,
            "Uppföljningar",
            ["", "r-1", "a-1", "", "T2", datetime.date(2025, 9, 1), "avslutad", "", "", "Klart."],
            ["", "r-1", "", "", "T2", datetime.date(2025, 9, 2), "", "Nej", "", "Försenat."],
        )
        self.upload(content)
        pending = PendingWorkbook.objects.get()
        page = self.client.get(reverse("workbooks:preview", args=[pending.pk]))

        applied = self.client.post(
            reverse("workbooks:apply", args=[pending.pk]),
            {"fingerprint": page.context["fingerprint"]},
        )

        assert applied.status_code == 302, page.content.decode()
        self.sn_action.refresh_from_db()
        assert (self.sn_action.description, self.sn_action.status) == ("Ny beskrivning", "done")
        self.sn_risk.refresh_from_db()
        assert self.sn_risk.description == "Ny riskbeskrivning"
        assert FollowUp.objects.filter(risk=self.sn_risk, on_track=False).count() == 1

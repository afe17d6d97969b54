import datetime

from django.urls import reverse

from internkontroll.audits.models import AuditReport
from internkontroll.test import BaseTestCase


class EditTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.url = reverse("audits:edit", args=[cls.sn_report.pk])
        cls.bn_report = AuditReport.objects.create(
            organisation=cls.organisation, external_id="rev-2", unit=cls.bn, title="Skolskjutsar"
        )
        cls.other_report = AuditReport.objects.create(
            organisation=cls.other_organisation,
            external_id="rev-1",
            unit=cls.other_committee,
            title="Grannens granskning",
        )

    def valid(self, **changes: object) -> dict[str, object]:
        return {
            "unit": self.sn.pk,
            "title": "Granskning av resor och representation",
            "auditor": "KPMG",
            "date": "2025-02-20",
            "version": self.sn_report.version,
            **changes,
        }

    def test_the_form_is_filled_with_the_report(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(self.url)
        assert response.status_code == 200
        assert response.context["form"]["title"].value() == "Granskning av resor"
        assert response.context["form"]["version"].value() == self.sn_report.version

    def test_it_saves_the_changes_and_records_who_made_them(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(self.url, self.valid())
        assert response.status_code == 302
        assert response["Location"] == reverse("audits:detail", args=[self.sn_report.pk])
        self.sn_report.refresh_from_db()
        assert self.sn_report.title == "Granskning av resor och representation"
        assert self.sn_report.auditor == "KPMG"
        assert self.sn_report.date == datetime.date(2025, 2, 20)
        assert self.sn_report.external_id == "rev-1"
        assert self.sn_report.history.first().history_user == self.coordinator

    def test_an_edit_from_a_stale_form_is_refused_and_the_typed_text_kept(self) -> None:
        stale = self.valid()
        self.sn_report.title = "Ändrad av någon annan"
        self.sn_report.version += 1  # someone else saves
        self.sn_report.save()
        self.client.force_login(self.coordinator)
        response = self.client.post(self.url, stale)
        assert response.status_code == 422
        assert response.context["form"].non_field_errors()
        assert "Granskning av resor och representation" in response.content.decode()
        self.sn_report.refresh_from_db()
        assert self.sn_report.title == "Ändrad av någon annan"
        assert self.sn_report.auditor == ""

    def test_after_a_stale_refusal_sending_again_saves_on_purpose(self) -> None:
        stale = self.valid()
        self.sn_report.version += 1  # someone else saves
        self.sn_report.save()
        self.client.force_login(self.coordinator)
        refused = self.client.post(self.url, stale)
        fresh = refused.context["form"]["version"].value()
        assert fresh == self.sn_report.version
        assert self.client.post(self.url, {**stale, "version": fresh}).status_code == 302

    def test_a_forged_committee_from_another_organisation_is_refused(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(self.url, self.valid(unit=self.other_committee.pk))
        assert response.status_code == 422
        assert response.context["form"].errors["unit"]
        self.sn_report.refresh_from_db()
        assert self.sn_report.unit == self.sn
        assert self.sn_report.title == "Granskning av resor"

    def test_invalid_input_is_refused_and_what_was_typed_is_kept(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(self.url, self.valid(title="", auditor="Deloitte"))
        assert response.status_code == 422
        assert "title" in response.context["form"].errors
        assert 'value="Deloitte"' in response.content.decode()
        self.sn_report.refresh_from_db()
        assert self.sn_report.auditor == ""

    def test_readers_and_auditors_are_forbidden(self) -> None:
        for user in (self.reader, self.auditor):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                assert self.client.get(self.url).status_code == 403
                assert self.client.post(self.url, self.valid()).status_code == 403
        self.sn_report.refresh_from_db()
        assert self.sn_report.title == "Granskning av resor"

    def test_another_committees_report_is_not_found(self) -> None:
        self.client.force_login(self.coordinator)
        url = reverse("audits:edit", args=[self.bn_report.pk])
        assert self.client.post(url, self.valid()).status_code == 404

    def test_another_organisations_report_is_not_found(self) -> None:
        self.client.force_login(self.coordinator)
        url = reverse("audits:edit", args=[self.other_report.pk])
        assert self.client.get(url).status_code == 404
        assert self.client.post(url, self.valid()).status_code == 404

    def test_anonymous_users_are_sent_to_log_in(self) -> None:
        response = self.client.post(self.url, self.valid())
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_it_rejects_other_methods(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.put(self.url).status_code == 405

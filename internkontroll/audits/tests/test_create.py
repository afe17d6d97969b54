import datetime

from django.urls import reverse

from internkontroll.accounts.models import Role
from internkontroll.audits.models import AuditReport
from internkontroll.test import BaseTestCase, make_user

URL = reverse("audits:create")


class CreateTests(BaseTestCase):
    def valid(self, **changes: object) -> dict[str, object]:
        return {
            "unit": self.sn.pk,
            "title": "Granskning av upphandling",
            "auditor": "EY",
            "date": "2025-10-02",
            **changes,
        }

    def test_it_offers_only_the_committees_the_user_may_write(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(URL)
        assert response.status_code == 200
        assert list(response.context["form"].fields["unit"].queryset) == [self.sn]

    def test_it_stores_the_report_with_a_generated_identifier(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(URL, self.valid())
        report = AuditReport.objects.get(title="Granskning av upphandling")
        assert response.status_code == 302
        assert response["Location"] == reverse("audits:detail", args=[report.pk])
        assert report.organisation == self.organisation
        assert report.unit == self.sn
        assert report.date == datetime.date(2025, 10, 2)
        assert report.external_id == "rev-2025-1"
        assert report.history.get().history_user == self.coordinator

    def test_each_new_report_gets_the_next_free_identifier(self) -> None:
        AuditReport.objects.create(
            organisation=self.organisation, external_id="rev-2025-1", unit=self.sn, title="A"
        )
        self.client.force_login(self.coordinator)
        self.client.post(URL, self.valid())
        assert AuditReport.objects.get(title="Granskning av upphandling").external_id == (
            "rev-2025-2"
        )

    def test_a_forged_committee_from_another_organisation_is_refused_and_nothing_stored(
        self,
    ) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(URL, self.valid(unit=self.other_committee.pk))
        assert response.status_code == 422
        assert response.context["form"].errors["unit"]
        assert not AuditReport.objects.filter(title="Granskning av upphandling").exists()

    def test_a_committee_the_user_may_only_read_is_refused(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(URL, self.valid(unit=self.bn.pk))
        assert response.status_code == 422
        assert response.context["form"].errors["unit"]
        assert not AuditReport.objects.filter(title="Granskning av upphandling").exists()

    def test_a_unit_that_is_not_a_committee_is_refused(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(URL, self.valid(unit=self.sf.pk))
        assert response.status_code == 422
        assert response.context["form"].errors["unit"]

    def test_invalid_input_is_refused_and_what_was_typed_is_kept(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(URL, self.valid(title="", date="2025-13-45"))
        assert response.status_code == 422
        form = response.context["form"]
        assert set(form.errors) == {"title", "date"}
        body = response.content.decode()
        assert 'value="EY"' in body
        assert 'value="2025-13-45"' in body
        assert 'class="errorlist"' in body
        assert not AuditReport.objects.filter(auditor="EY").exists()

    def test_readers_auditors_and_responsible_people_are_forbidden(self) -> None:
        for user in (self.reader, self.auditor, self.responsible):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                assert self.client.get(URL).status_code == 403
                assert self.client.post(URL, self.valid()).status_code == 403
        assert not AuditReport.objects.filter(title="Granskning av upphandling").exists()

    def test_a_coordinator_of_an_administration_only_is_forbidden(self) -> None:
        user = make_user("forvaltning", self.organisation, [(Role.COORDINATOR, self.sf)])
        self.client.force_login(user)
        assert self.client.get(URL).status_code == 403

    def test_anonymous_users_are_sent_to_log_in(self) -> None:
        response = self.client.post(URL, self.valid())
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert not AuditReport.objects.filter(title="Granskning av upphandling").exists()

    def test_it_rejects_other_methods(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.put(URL).status_code == 405
        assert self.client.delete(URL).status_code == 405

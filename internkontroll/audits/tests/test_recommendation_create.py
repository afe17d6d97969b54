from django.urls import reverse

from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.test import BaseTestCase


class RecommendationCreateTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.url = reverse("audits:recommendation_create", args=[cls.sn_report.pk])
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
            "text": "Säkerställ att attestordningen följs.",
            "response": "Nämnden ser över attestordningen.",
            "status": "in_progress",
            **changes,
        }

    def test_it_shows_an_empty_form(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(self.url)
        assert response.status_code == 200
        assert "Granskning av resor" in response.content.decode()

    def test_it_adds_the_recommendation_to_the_report(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(self.url, self.valid())
        assert response.status_code == 302
        assert response["Location"] == reverse("audits:detail", args=[self.sn_report.pk])
        added = Recommendation.objects.get(text="Säkerställ att attestordningen följs.")
        assert added.report == self.sn_report
        assert added.response == "Nämnden ser över attestordningen."
        assert added.status == "in_progress"
        assert added.external_id == "rek-2"  # the report already holds "rek-1"
        assert added.history.get().history_user == self.coordinator

    def test_invalid_input_is_refused_and_what_was_typed_is_kept(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(self.url, self.valid(text="", status="forgotten"))
        assert response.status_code == 422
        assert set(response.context["form"].errors) == {"text", "status"}
        assert "Nämnden ser över attestordningen." in response.content.decode()
        assert self.sn_report.recommendations.count() == 1

    def test_readers_and_auditors_are_forbidden(self) -> None:
        for user in (self.reader, self.auditor):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                assert self.client.get(self.url).status_code == 403
                assert self.client.post(self.url, self.valid()).status_code == 403
        assert self.sn_report.recommendations.count() == 1

    def test_another_committees_report_is_not_found(self) -> None:
        self.client.force_login(self.coordinator)
        url = reverse("audits:recommendation_create", args=[self.bn_report.pk])
        assert self.client.post(url, self.valid()).status_code == 404
        assert not self.bn_report.recommendations.exists()

    def test_another_organisations_report_is_not_found(self) -> None:
        self.client.force_login(self.coordinator)
        url = reverse("audits:recommendation_create", args=[self.other_report.pk])
        assert self.client.post(url, self.valid()).status_code == 404
        assert not self.other_report.recommendations.exists()

    def test_anonymous_users_are_sent_to_log_in(self) -> None:
        response = self.client.post(self.url, self.valid())
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_it_rejects_other_methods(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.put(self.url).status_code == 405

from django.urls import reverse

from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.test import BaseTestCase


class RecommendationEditTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.url = reverse("audits:recommendation_edit", args=[cls.sn_recommendation.pk])
        cls.bn_recommendation = Recommendation.objects.create(
            report=AuditReport.objects.create(
                organisation=cls.organisation, external_id="rev-2", unit=cls.bn, title="B"
            ),
            external_id="rek-1",
            text="Barnfrågan.",
        )
        cls.other_recommendation = Recommendation.objects.create(
            report=AuditReport.objects.create(
                organisation=cls.other_organisation,
                external_id="rev-1",
                unit=cls.other_committee,
                title="Grannens granskning",
            ),
            external_id="rek-1",
            text="Grannens rekommendation.",
        )

    def valid(self, **changes: object) -> dict[str, object]:
        return {
            "text": "Upprätta en lokal anvisning för resor.",
            "response": "En anvisning tas fram under våren.",
            "status": "in_progress",
            "version": self.sn_recommendation.version,
            **changes,
        }

    def test_the_form_is_filled_with_the_recommendation(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(self.url)
        assert response.status_code == 200
        assert response.context["form"]["text"].value() == "Upprätta en lokal anvisning."

    def test_it_saves_the_text_the_response_and_the_status(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(self.url, self.valid())
        assert response.status_code == 302
        assert response["Location"] == reverse("audits:detail", args=[self.sn_report.pk])
        self.sn_recommendation.refresh_from_db()
        assert self.sn_recommendation.text == "Upprätta en lokal anvisning för resor."
        assert self.sn_recommendation.response == "En anvisning tas fram under våren."
        assert self.sn_recommendation.status == "in_progress"
        assert self.sn_recommendation.history.first().history_user == self.coordinator

    def test_an_edit_from_a_stale_form_is_refused_and_the_typed_text_kept(self) -> None:
        stale = self.valid()
        self.sn_recommendation.response = "Svar från kollegan."
        self.sn_recommendation.version += 1  # someone else saves
        self.sn_recommendation.save()
        self.client.force_login(self.coordinator)
        response = self.client.post(self.url, stale)
        assert response.status_code == 422
        assert response.context["form"].non_field_errors()
        body = response.content.decode()
        assert "En anvisning tas fram under våren." in body  # the user's text
        assert "Svar från kollegan." in body  # what is saved now, to compare with
        self.sn_recommendation.refresh_from_db()
        assert self.sn_recommendation.response == "Svar från kollegan."

    def test_a_form_without_its_version_mark_is_refused(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(self.url, self.valid(version=""))
        assert response.status_code == 422
        self.sn_recommendation.refresh_from_db()
        assert self.sn_recommendation.status == "not_started"

    def test_invalid_input_is_refused_and_what_was_typed_is_kept(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(self.url, self.valid(text="", status="everything"))
        assert response.status_code == 422
        assert set(response.context["form"].errors) == {"text", "status"}
        assert "En anvisning tas fram under våren." in response.content.decode()
        self.sn_recommendation.refresh_from_db()
        assert self.sn_recommendation.text == "Upprätta en lokal anvisning."

    def test_readers_and_auditors_are_forbidden(self) -> None:
        for user in (self.reader, self.auditor):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                assert self.client.get(self.url).status_code == 403
                assert self.client.post(self.url, self.valid()).status_code == 403

    def test_another_committees_recommendation_is_not_found(self) -> None:
        self.client.force_login(self.coordinator)
        url = reverse("audits:recommendation_edit", args=[self.bn_recommendation.pk])
        assert self.client.post(url, self.valid()).status_code == 404

    def test_another_organisations_recommendation_is_not_found(self) -> None:
        self.client.force_login(self.coordinator)
        url = reverse("audits:recommendation_edit", args=[self.other_recommendation.pk])
        assert self.client.get(url).status_code == 404
        assert self.client.post(url, self.valid()).status_code == 404
        self.other_recommendation.refresh_from_db()
        assert self.other_recommendation.text == "Grannens rekommendation."

    def test_anonymous_users_are_sent_to_log_in(self) -> None:
        response = self.client.post(self.url, self.valid())
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_it_rejects_other_methods(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.patch(self.url).status_code == 405

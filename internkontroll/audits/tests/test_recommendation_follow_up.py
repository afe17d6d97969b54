import datetime

from django.urls import reverse

from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.followups.models import FollowUp
from internkontroll.test import BaseTestCase


class RecommendationFollowUpTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.url = reverse("audits:recommendation_follow_up", args=[cls.sn_recommendation.pk])
        FollowUp.objects.create(
            recommendation=cls.sn_recommendation,
            date=datetime.date(2025, 3, 1),
            status="not_started",
            comment="Inte påbörjad ännu.",
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
            "date": "2025-09-15",
            "status": "done",
            "comment": "Anvisningen beslutades i augusti.",
            "version": self.sn_recommendation.version,
            **changes,
        }

    def follow_ups(self) -> list[str]:
        return list(self.sn_recommendation.follow_ups.values_list("comment", flat=True))

    def test_the_form_starts_from_today_and_the_current_status_and_shows_the_history(
        self,
    ) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(self.url)
        assert response.status_code == 200
        form = response.context["form"]
        assert form["status"].value() == "not_started"
        assert form["date"].value() is not None
        assert "Inte påbörjad ännu." in response.content.decode()

    def test_it_appends_a_follow_up_and_moves_the_recommendation_to_its_status(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(self.url, self.valid())
        assert response.status_code == 302
        assert response["Location"] == reverse("audits:detail", args=[self.sn_report.pk])
        assert self.follow_ups() == ["Inte påbörjad ännu.", "Anvisningen beslutades i augusti."]
        added = self.sn_recommendation.follow_ups.get(date=datetime.date(2025, 9, 15))
        assert added.status == "done"
        assert added.history.get().history_user == self.coordinator
        self.sn_recommendation.refresh_from_db()
        assert self.sn_recommendation.status == "done"
        assert self.sn_recommendation.history.first().history_user == self.coordinator

    def test_a_follow_up_from_a_stale_form_is_refused(self) -> None:
        stale = self.valid()
        self.sn_recommendation.status = "cancelled"
        self.sn_recommendation.version += 1  # someone else saves
        self.sn_recommendation.save()
        self.client.force_login(self.coordinator)
        response = self.client.post(self.url, stale)
        assert response.status_code == 422
        assert "Anvisningen beslutades i augusti." in response.content.decode()
        assert self.follow_ups() == ["Inte påbörjad ännu."]
        self.sn_recommendation.refresh_from_db()
        assert self.sn_recommendation.status == "cancelled"

    def test_invalid_input_is_refused_and_what_was_typed_is_kept(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(self.url, self.valid(date="", status="finished"))
        assert response.status_code == 422
        assert set(response.context["form"].errors) == {"date", "status"}
        assert "Anvisningen beslutades i augusti." in response.content.decode()
        assert self.follow_ups() == ["Inte påbörjad ännu."]

    def test_a_comment_is_required(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(self.url, self.valid(comment=""))
        assert response.status_code == 422
        assert "comment" in response.context["form"].errors

    def test_readers_auditors_and_responsible_people_are_forbidden(self) -> None:
        for user in (self.reader, self.auditor):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                assert self.client.get(self.url).status_code == 403
                assert self.client.post(self.url, self.valid()).status_code == 403
        self.client.force_login(self.responsible)  # sees only its own unit: not this report
        assert self.client.post(self.url, self.valid()).status_code == 404
        assert self.follow_ups() == ["Inte påbörjad ännu."]

    def test_another_organisations_recommendation_is_not_found(self) -> None:
        self.client.force_login(self.coordinator)
        url = reverse("audits:recommendation_follow_up", args=[self.other_recommendation.pk])
        assert self.client.get(url).status_code == 404
        assert self.client.post(url, self.valid()).status_code == 404
        assert not self.other_recommendation.follow_ups.exists()

    def test_anonymous_users_are_sent_to_log_in(self) -> None:
        response = self.client.post(self.url, self.valid())
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_it_rejects_other_methods(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.delete(self.url).status_code == 405

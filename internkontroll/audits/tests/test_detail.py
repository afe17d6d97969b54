import datetime

from django.urls import reverse

from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.followups.models import FollowUp
from internkontroll.test import BaseTestCase


class DetailTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.url = reverse("audits:detail", args=[cls.sn_report.pk])
        for day, comment in [(3, "Mitten."), (1, "Först."), (9, "Senast.")]:
            FollowUp.objects.create(
                recommendation=cls.sn_recommendation,
                date=datetime.date(2025, day, 1),
                status="in_progress",
                comment=comment,
            )
        cls.second = Recommendation.objects.create(
            report=cls.sn_report, external_id="rek-2", text="Utbilda personalen."
        )
        cls.bn_report = AuditReport.objects.create(
            organisation=cls.organisation, external_id="rev-2", unit=cls.bn, title="Skolskjutsar"
        )
        cls.other_report = AuditReport.objects.create(
            organisation=cls.other_organisation,
            external_id="rev-1",
            unit=cls.other_committee,
            title="Grannens granskning",
        )

    def test_it_shows_every_recommendation_with_its_follow_ups_newest_first(self) -> None:
        self.client.force_login(self.auditor)
        response = self.client.get(self.url)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Upprätta en lokal anvisning." in body
        assert "Utbilda personalen." in body
        assert body.index("Senast.") < body.index("Mitten.") < body.index("Först.")

    def test_writers_get_links_to_edit_and_follow_up(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(self.url)
        body = response.content.decode()
        assert response.context["can_edit"] is True
        assert reverse("audits:edit", args=[self.sn_report.pk]) in body
        assert reverse("audits:recommendation_create", args=[self.sn_report.pk]) in body
        assert reverse("audits:recommendation_follow_up", args=[self.second.pk]) in body
        assert reverse("audits:recommendation_edit", args=[self.second.pk]) in body

    def test_readers_and_auditors_get_no_links_to_change_anything(self) -> None:
        for user in (self.reader, self.auditor):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.get(self.url)
                assert response.context["can_edit"] is False
                assert reverse("audits:edit", args=[self.sn_report.pk]) not in (
                    response.content.decode()
                )

    def test_another_committees_report_is_not_found(self) -> None:
        self.client.force_login(self.coordinator)
        url = reverse("audits:detail", args=[self.bn_report.pk])
        assert self.client.get(url).status_code == 404

    def test_another_organisations_report_is_not_found(self) -> None:
        self.client.force_login(self.reader)
        url = reverse("audits:detail", args=[self.other_report.pk])
        assert self.client.get(url).status_code == 404

    def test_an_unknown_id_is_not_found(self) -> None:
        self.client.force_login(self.reader)
        assert self.client.get(reverse("audits:detail", args=[999999])).status_code == 404

    def test_anonymous_users_are_sent_to_log_in(self) -> None:
        response = self.client.get(self.url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_it_rejects_post(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.post(self.url).status_code == 405

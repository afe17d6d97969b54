from django.urls import reverse

from internkontroll.followups.models import FollowUp
from internkontroll.test import BaseTestCase, make_plan, make_risk


class DetailTests(BaseTestCase):
    def url(self, pk: int | None = None) -> str:
        return reverse("risks:detail", args=[pk or self.sn_risk.pk])

    def test_it_shows_the_risk_its_assessment_actions_and_follow_ups_newest_first(self) -> None:
        FollowUp.objects.create(action=self.sn_action, date="2025-09-01", comment="Senare rad.")
        self.client.force_login(self.reader)
        response = self.client.get(self.url())
        body = response.content.decode()
        assert response.status_code == 200
        assert "Felaktiga utbetalningar" in body
        assert "Inför attest i två steg" in body
        assert body.index("Senare rad.") < body.index("Arbetet har börjat.")
        assert response.context["risk"].level.name == "Kritisk"

    def test_it_links_to_last_years_version_of_the_risk(self) -> None:
        plan_2026 = make_plan(self.sn, 2026)
        this_year = make_risk(plan_2026, "r-1", title=self.sn_risk.title)
        self.client.force_login(self.coordinator)
        assert self.client.get(self.url(this_year.pk)).context["previous"] == self.sn_risk

    def test_writers_get_edit_links_and_readers_do_not(self) -> None:
        edit = reverse("risks:edit", args=[self.sn_risk.pk])
        self.client.force_login(self.coordinator)
        assert edit in self.client.get(self.url()).content.decode()
        self.client.force_login(self.reader)
        assert edit not in self.client.get(self.url()).content.decode()

    def test_another_organisation_gets_the_swedish_404_page(self) -> None:
        self.client.force_login(self.outsider)
        response = self.client.get(self.url())
        assert response.status_code == 404
        assert "Sidan kunde inte hittas" in response.content.decode()

    def test_anonymous_users_are_sent_to_log_in(self) -> None:
        assert self.client.get(self.url()).status_code == 302

    def test_it_rejects_post(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.post(self.url()).status_code == 405

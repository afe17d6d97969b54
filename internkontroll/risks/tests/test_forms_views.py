from django.urls import reverse

from internkontroll.risks.models import Action, Risk
from internkontroll.test import BaseTestCase

VALID = {
    "title": "Ny risk om attester",
    "cell": "2-3",
    "target_cell": "1-3",
    "handling": ["mitigate", "review"],
    "area_name": "Ekonomi",
    "process_name": "Attest",
    "description": "Fakturor kan attesteras av fel person.",
}


class CreateRiskTests(BaseTestCase):
    def url(self, plan_pk: int | None = None) -> str:
        return f"{reverse('risks:create')}?plan={plan_pk or self.sn_plan.pk}"

    def test_a_coordinator_creates_a_risk_assessed_on_the_matrix(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(self.url(), {**VALID, "unit": self.sf_vux.pk})
        risk = Risk.objects.get(title="Ny risk om attester")
        assert response.status_code == 302
        assert (risk.probability, risk.consequence, risk.score) == (2, 3, 6)
        assert (risk.target_probability, risk.target_consequence) == (1, 3)
        assert risk.level.name == "Hög"
        assert risk.area.name == "Ekonomi" and risk.process.name == "Attest"
        assert risk.handling == ["mitigate", "review"]
        assert risk.external_id == "r-2"
        assert risk.history.first().history_user == self.coordinator

    def test_an_unassessed_risk_may_be_saved(self) -> None:
        self.client.force_login(self.coordinator)
        self.client.post(self.url(), {"title": "Ej bedömd", "cell": ""})
        assert Risk.objects.get(title="Ej bedömd").score is None

    def test_a_cell_outside_the_matrix_is_refused_next_to_the_field(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(self.url(), {**VALID, "cell": "7-1"})
        assert response.status_code == 422
        assert "cell" in response.context["form"].errors
        assert response.context["form"]["title"].value() == "Ny risk om attester"
        assert not Risk.objects.filter(title="Ny risk om attester").exists()

    def test_a_tampered_cell_is_refused_next_to_the_field(self) -> None:
        self.client.force_login(self.coordinator)
        for cell in ("abc", "2-", "-", "2-3-4", "x-y"):
            with self.subTest(cell=cell):
                response = self.client.post(self.url(), {**VALID, "cell": cell})
                assert response.status_code == 422
                assert response.context["form"].errors["cell"] == [
                    f"Välj ett giltigt alternativ. {cell} finns inte bland tillgängliga alternativ."
                ]
                assert not Risk.objects.filter(title="Ny risk om attester").exists()

    def test_a_missing_title_is_refused_and_the_text_kept(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(self.url(), {**VALID, "title": ""})
        assert response.status_code == 422
        assert "Fakturor kan attesteras" in response.content.decode()

    def test_a_unit_outside_the_committee_is_refused(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(self.url(), {**VALID, "unit": self.bf.pk})
        assert response.status_code == 422
        assert "unit" in response.context["form"].errors

    def test_readers_may_not_create(self) -> None:
        self.client.force_login(self.reader)
        assert self.client.get(self.url()).status_code == 403
        assert self.client.post(self.url(), VALID).status_code == 403

    def test_another_organisations_plan_is_404(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.post(self.url(self.other_plan.pk), VALID).status_code == 404
        assert not Risk.objects.filter(title="Ny risk om attester").exists()

    def test_anonymous_users_are_sent_to_log_in(self) -> None:
        assert self.client.get(self.url()).status_code == 302

    def test_it_rejects_put(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.put(self.url()).status_code == 405


class EditRiskTests(BaseTestCase):
    def url(self) -> str:
        return reverse("risks:edit", args=[self.sn_risk.pk])

    def test_a_coordinator_changes_the_assessment(self) -> None:
        self.client.force_login(self.coordinator)
        form = self.client.get(self.url()).context["form"]
        assert form.initial["cell"] == "3-3"
        response = self.client.post(self.url(), {**VALID, "version": 1})
        assert response.status_code == 302
        risk = Risk.objects.get(pk=self.sn_risk.pk)
        assert (risk.probability, risk.consequence, risk.version) == (2, 3, 2)

    def test_a_stale_edit_is_refused_and_keeps_both_texts(self) -> None:
        self.client.force_login(self.coordinator)
        Risk.objects.filter(pk=self.sn_risk.pk).update(version=2, title="Kollegans rubrik")
        response = self.client.post(self.url(), {**VALID, "version": 1})
        assert response.status_code == 422
        assert "Ny risk om attester" in response.content.decode()
        assert Risk.objects.get(pk=self.sn_risk.pk).title == "Kollegans rubrik"

    def test_the_responsible_person_may_not_edit_the_risk(self) -> None:
        self.client.force_login(self.responsible)
        assert self.client.post(self.url(), {**VALID, "version": 1}).status_code == 403

    def test_another_organisation_gets_404(self) -> None:
        self.client.force_login(self.outsider)
        assert self.client.get(self.url()).status_code == 404


class ActionFormTests(BaseTestCase):
    def test_a_coordinator_adds_an_action_assigned_to_a_person(self) -> None:
        self.client.force_login(self.coordinator)
        url = reverse("risks:action_create", args=[self.sn_risk.pk])
        response = self.client.post(
            url,
            {
                "title": "Ny rutin",
                "responsible": "Enhetschef",
                "assignee": self.responsible.pk,
                "due_date": "2025-12-31",
                "status": "not_started",
            },
        )
        assert response.status_code == 302
        action = Action.objects.get(title="Ny rutin")
        assert action.assignee == self.responsible
        assert action.external_id == "a-2"

    def test_only_people_who_see_the_risk_can_be_assigned(self) -> None:
        self.client.force_login(self.coordinator)
        url = reverse("risks:action_create", args=[self.sn_risk.pk])
        response = self.client.post(
            url, {"title": "X", "status": "not_started", "assignee": self.outsider.pk}
        )
        assert response.status_code == 422
        assert "assignee" in response.context["form"].errors

    def test_an_edit_from_a_stale_form_is_refused(self) -> None:
        self.client.force_login(self.coordinator)
        url = reverse("risks:action_edit", args=[self.sn_action.pk])
        Action.objects.filter(pk=self.sn_action.pk).update(version=5)
        response = self.client.post(url, {"title": "Nytt", "status": "done", "version": 1})
        assert response.status_code == 422
        assert Action.objects.get(pk=self.sn_action.pk).title == "Inför attest i två steg"

    def test_readers_and_outsiders_are_refused(self) -> None:
        url = reverse("risks:action_edit", args=[self.sn_action.pk])
        self.client.force_login(self.reader)
        assert self.client.post(url, {"title": "X", "status": "done"}).status_code == 403
        self.client.force_login(self.outsider)
        assert self.client.get(url).status_code == 404


class RecommendationLinkTests(BaseTestCase):
    def test_a_risk_links_to_the_recommendations_behind_it(self) -> None:
        self.client.force_login(self.coordinator)
        url = reverse("risks:edit", args=[self.sn_risk.pk])
        response = self.client.post(
            url, {**VALID, "version": 1, "recommendations": [self.sn_recommendation.pk]}
        )
        assert response.status_code == 302
        assert list(self.sn_risk.recommendations.all()) == [self.sn_recommendation]
        page = self.client.get(reverse("risks:detail", args=[self.sn_risk.pk]))
        assert "Upprätta en lokal anvisning." in page.content.decode()

    def test_another_organisations_recommendation_cannot_be_linked(self) -> None:
        from internkontroll.audits.models import AuditReport, Recommendation

        report = AuditReport.objects.create(
            organisation=self.other_organisation, external_id="x", title="Annan"
        )
        foreign = Recommendation.objects.create(report=report, external_id="y", text="Hemlig")
        self.client.force_login(self.coordinator)
        url = reverse("risks:edit", args=[self.sn_risk.pk])
        response = self.client.post(url, {**VALID, "version": 1, "recommendations": [foreign.pk]})
        assert response.status_code == 422
        assert not self.sn_risk.recommendations.exists()

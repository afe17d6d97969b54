from __future__ import annotations

from typing import Any

from django.urls import reverse

from internkontroll.accounts.models import Role
from internkontroll.organisation.models import Organisation, RiskMatrix
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.models import Risk
from internkontroll.test import BaseTestCase, make_plan, make_risk, make_user

URL = reverse("organisation:matrix_edit")


def five_by_five(opened_from: int | None, **changes: Any) -> dict[str, Any]:
    """A 5×5 matrix with three levels, as the form sends it."""
    data: dict[str, Any] = {
        "opened_from": opened_from or "",
        "probability_size": 5,
        "consequence_size": 5,
        "level_count": 3,
        "level_1_name": "Låg",
        "level_1_min_score": 1,
        "level_1_color": "#2E7D32",
        "level_2_name": "Medel",
        "level_2_min_score": 5,
        "level_2_color": "#f9a825",
        "level_3_name": "Hög",
        "level_3_min_score": 12,
        "level_3_color": "#c62828",
    }
    for number, label in enumerate(["Sällan", "Ibland", "Ofta", "Mycket ofta", "Alltid"], 1):
        data[f"probability_{number}"] = label
    for number, label in enumerate(["Liten", "Märkbar", "Stor", "Allvarlig", "Katastrof"], 1):
        data[f"consequence_{number}"] = label
    data.update(changes)
    return data


class MatrixEditTests(BaseTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.admin)
        self.old = self.organisation.risk_matrix

    def current(self) -> RiskMatrix:
        organisation = Organisation.objects.get(pk=self.organisation.pk)
        assert organisation.risk_matrix is not None
        return organisation.risk_matrix

    def test_it_shows_the_current_matrix_in_the_form_and_the_preview(self) -> None:
        response = self.client.get(URL)
        html = response.content.decode()
        assert response.status_code == 200
        assert 'value="Mindre sannolik"' in html and 'value="Allvarlig"' in html
        assert 'value="#c62828"' in html
        assert "<svg" in html and "Kritisk" in html
        assert "används av 2 planer (2025)" in html

    def test_a_matrix_a_plan_uses_is_kept_and_a_new_one_applies_to_new_plans(self) -> None:
        response = self.client.post(URL, five_by_five(self.old.pk))

        assert response.status_code == 302
        assert response["Location"].endswith("#risk-matrix")
        new = self.current()
        assert new.pk != self.old.pk
        assert new.probability_labels[-1] == "Alltid"
        assert new.levels[0] == {"name": "Låg", "min_score": 1, "color": "#2e7d32"}
        assert new.cells is None
        self.old.refresh_from_db()
        assert self.old.probability_size == 4  # untouched
        assert ControlPlan.objects.get(pk=self.sn_plan.pk).risk_matrix_id == self.old.pk
        assert new.history.get().history_user == self.admin
        self.sn.organisation.refresh_from_db()
        assert make_plan(self.sn, year=2026).risk_matrix_id == new.pk

    def test_last_years_levels_and_reports_are_unchanged(self) -> None:
        report = reverse("reports:report", args=["risk-picture", self.sn_plan.pk])
        before = self.client.get(report).content.decode()
        level_before = Risk.objects.get(pk=self.sn_risk.pk).level

        self.client.post(URL, five_by_five(self.old.pk))

        after = self.client.get(report).content.decode()
        assert Risk.objects.get(pk=self.sn_risk.pk).level == level_before
        assert level_before is not None and level_before.name == "Kritisk"
        assert after.count("Kritisk") == before.count("Kritisk") > 0
        assert "Katastrof" not in after and "Mindre sannolik" in after

    def test_a_matrix_no_plan_uses_is_changed_in_place(self) -> None:
        unused = RiskMatrix.objects.create(
            organisation=self.organisation,
            **RiskMatrix.fields_from_document(self.old.as_document()),
        )
        Organisation.objects.filter(pk=self.organisation.pk).update(risk_matrix=unused)
        response = self.client.post(URL, five_by_five(unused.pk))
        assert response.status_code == 302
        assert self.current().pk == unused.pk
        assert RiskMatrix.objects.get(pk=unused.pk).consequence_labels[-1] == "Katastrof"
        assert RiskMatrix.objects.get(pk=self.old.pk).consequence_size == 4

    def test_saving_the_same_matrix_makes_no_new_one(self) -> None:
        response = self.client.get(URL)
        form = response.context["form"]
        data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
        data["use_cells"] = ""
        assert self.client.post(URL, data).status_code == 302
        assert self.current().pk == self.old.pk

    def test_a_cell_map_is_saved_by_level_name(self) -> None:
        cells = {f"cell_{p}_{c}": 0 for p in range(1, 6) for c in range(1, 6)}
        cells["cell_5_5"] = 2
        cells["cell_1_5"] = 1
        data = five_by_five(self.old.pk, use_cells="on", **cells)
        assert self.client.post(URL, data).status_code == 302
        new = self.current()
        assert new.cells is not None
        assert new.cells[4][4] == "Hög" and new.cells[0][4] == "Medel" and new.cells[2][2] == "Låg"
        assert new.level_for(5, 5).name == "Hög"

    def test_the_preview_is_a_fragment_in_the_new_shape_and_saves_nothing(self) -> None:
        data = five_by_five(self.old.pk, preview="form", probability_size=6, use_cells="on")
        response = self.client.post(URL, data, headers={"HX-Request": "true"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in html and 'id="matrix-editor"' in html
        assert 'name="probability_6"' in html and 'value="Steg 6"' in html
        assert 'name="cell_6_5"' in html
        assert 'fill="#c62828"' in html  # the third level's colour in the preview
        assert self.current().pk == self.old.pk

    def test_a_changed_field_redraws_only_the_preview(self) -> None:
        data = five_by_five(self.old.pk, preview="picture", level_3_color="#123456")
        response = self.client.post(URL, data, headers={"HX-Request": "true"})
        html = response.content.decode()
        assert response.status_code == 200
        assert html.startswith('<section class="card matrix-editor__preview" id="matrix-preview"')
        assert 'fill="#123456"' in html and 'name="probability_1"' not in html

    def test_a_preview_of_a_wrong_matrix_says_what_is_wrong(self) -> None:
        data = five_by_five(self.old.pk, preview="picture", level_2_min_score=1)
        html = self.client.post(URL, data, headers={"HX-Request": "true"}).content.decode()
        assert "<svg" not in html
        assert "Nivå 2, lägsta riskvärde: Det lägsta riskvärdet måste vara högre" in html

    def test_without_javascript_the_preview_button_redraws_the_page(self) -> None:
        response = self.client.post(URL, five_by_five(self.old.pk, preview="1"))
        assert response.status_code == 200
        assert "<html" in response.content.decode()
        assert self.current().pk == self.old.pk

    def test_a_label_used_twice_is_refused_next_to_the_field(self) -> None:
        response = self.client.post(URL, five_by_five(self.old.pk, probability_3="ibland"))
        assert response.status_code == 422
        assert response.context["form"].errors["probability_3"] == [
            "”ibland” är redan steg 2 i sannolikhetsskalan."
        ]
        assert self.current().pk == self.old.pk

    def test_levels_must_start_at_one_and_rise(self) -> None:
        data = five_by_five(self.old.pk, level_1_min_score=2, level_3_min_score=5)
        errors = self.client.post(URL, data).context["form"].errors
        assert errors["level_1_min_score"] == ["Den lägsta nivån börjar på riskvärde 1."]
        assert errors["level_3_min_score"] == [
            "Det lägsta riskvärdet måste vara högre än för nivå 2 (5)."
        ]

    def test_a_level_no_cell_reaches_and_a_bad_colour_are_refused(self) -> None:
        data = five_by_five(self.old.pk, level_3_min_score=26, level_2_color="gul")
        response = self.client.post(URL, data)
        errors = response.context["form"].errors
        assert response.status_code == 422
        assert errors["level_3_min_score"] == [
            "Ingen ruta når riskvärde 26: det högsta i den här matrisen är 25."
        ]
        assert "#" in errors["level_2_color"][0]

    def test_a_matrix_made_current_by_someone_else_meanwhile_is_not_replaced(self) -> None:
        RiskMatrix.objects.filter(pk=self.old.pk).update(levels=self.old.levels)
        newer = RiskMatrix.objects.create(
            organisation=self.organisation,
            probability_labels=["a", "b", "c"],
            consequence_labels=["a", "b", "c"],
            levels=[{"name": "Låg", "min_score": 1, "color": "#2e7d32"}],
        )
        Organisation.objects.filter(pk=self.organisation.pk).update(risk_matrix=newer)

        response = self.client.post(URL, five_by_five(self.old.pk))

        assert response.status_code == 422
        assert "Någon annan sparade" in response.content.decode()
        assert self.current().pk == newer.pk
        assert response.context["form"].data["opened_from"] == newer.pk

    def test_an_organisation_without_a_matrix_gets_its_first(self) -> None:
        Organisation.objects.filter(pk=self.organisation.pk).update(risk_matrix=None)
        assert self.client.get(URL).status_code == 200
        assert self.client.post(URL, five_by_five(None)).status_code == 302
        assert self.current().probability_size == 5


class MatrixEditAccessTests(BaseTestCase):
    def test_anonymous_is_sent_to_log_in(self) -> None:
        response = self.client.get(URL)
        assert response.status_code == 302 and "logga-in" in response["Location"]

    def test_it_rejects_other_methods(self) -> None:
        self.client.force_login(self.admin)
        assert self.client.put(URL).status_code == 405

    def test_only_an_organisation_administrator_may_change_it(self) -> None:
        committee_admin = make_user("snadmin", self.organisation, [(Role.ADMIN, self.sn)])
        for user in (self.coordinator, self.responsible, self.reader, committee_admin):
            self.client.force_login(user)
            assert self.client.get(URL).status_code == 403
            assert self.client.post(URL, five_by_five(None)).status_code == 403
        assert RiskMatrix.objects.filter(organisation=self.organisation).count() == 1

    def test_someone_from_another_organisation_changes_only_their_own(self) -> None:
        admin = make_user("grannadmin", self.other_organisation, [(Role.ADMIN, None)])
        self.client.force_login(admin)
        opened_from = self.other_organisation.risk_matrix_id
        assert self.client.post(URL, five_by_five(opened_from)).status_code == 302
        assert (
            self.organisation.risk_matrix_id
            == Organisation.objects.get(pk=self.organisation.pk).risk_matrix_id
        )
        assert (
            self.client.post(URL, five_by_five(self.organisation.risk_matrix_id)).status_code == 422
        )


class MatrixSettingsSectionTests(BaseTestCase):
    def test_everyone_sees_the_matrix_and_only_the_administrator_the_link(self) -> None:
        settings = reverse("organisation:settings")
        self.client.force_login(self.admin)
        html = self.client.get(settings).content.decode()
        assert 'id="risk-matrix"' in html and "Kritisk" in html and URL in html
        self.client.force_login(self.responsible)
        html = self.client.get(settings).content.decode()
        assert 'id="risk-matrix"' in html and "Kritisk" in html and URL not in html

    def test_a_risk_below_the_committee_keeps_its_level_after_a_change(self) -> None:
        risk = make_risk(self.sn_plan, "r-9", unit=self.sf_barn, probability=1, consequence=4)
        level = risk.level
        self.client.force_login(self.admin)
        self.client.post(URL, five_by_five(self.organisation.risk_matrix_id))
        assert Risk.objects.get(pk=risk.pk).level == level
        self.client.force_login(self.responsible)
        html = self.client.get(reverse("risks:detail", args=[self.sn_risk.pk])).content.decode()
        assert "Mindre sannolik" in html and "Katastrof" not in html

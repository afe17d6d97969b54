"""A risk's links to audit recommendations in the workbook: a column of references with a
drop-down of those the risk form offers the person, checked on upload by the same rule."""

from __future__ import annotations

import datetime
import io

import openpyxl
import time_machine

from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.test import BaseTestCase
from internkontroll.workbooks.actions import apply_changes
from internkontroll.workbooks.layout import RISKS
from internkontroll.workbooks.tests.helpers import changeset, download, edited, problems

CELL = f"{RISKS.letter('recommendations')}2"


@time_machine.travel(datetime.datetime(2025, 9, 10, 10, tzinfo=datetime.UTC), tick=False)
class RecommendationColumnTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.second = Recommendation.objects.create(
            report=cls.sn_report, external_id="rek-2", text="Följ upp resorna varje kvartal."
        )
        bn_report = AuditReport.objects.create(
            organisation=cls.organisation, external_id="rev-2", unit=cls.bn, title="Skolskjuts"
        )
        cls.bn_recommendation = Recommendation.objects.create(
            report=bn_report, external_id="rek-1", text="Upphandla på nytt."
        )
        cls.sn_risk.recommendations.set([cls.sn_recommendation])

    def workbook(self) -> bytes:
        return download(self.sn_plan, user=self.coordinator)

    def upload(self, content: bytes) -> object:
        return changeset(self.sn_plan, content, user=self.coordinator)

    def test_the_risk_shows_its_recommendations_with_a_drop_down_of_those_offered(self) -> None:
        book = openpyxl.load_workbook(io.BytesIO(self.workbook()))
        sheet = book["Risker"]
        letter = RISKS.letter("recommendations")
        assert sheet[f"{letter}1"].value == "Revisionens rekommendationer bakom risken"
        assert sheet[CELL].value == "rev-1 rek-1"
        # The coordinator of sn is offered sn's recommendations, not bn's (as on the form).
        lists = book["Listor"]
        offered = [lists.cell(row=n, column=14).value for n in range(1, 4)]
        assert offered == ["rev-1 rek-1", "rev-1 rek-2", None]
        sources = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
        assert sources[f"{letter}2:{letter}10000"] == "'Listor'!$N$1:$N$2"

    def test_an_unchanged_workbook_keeps_the_links(self) -> None:
        result = self.upload(self.workbook())
        assert problems(result) == []
        assert result.writes == []

    def test_links_are_changed_through_the_risk_form_action(self) -> None:
        content = edited(self.workbook(), "Risker", {CELL: "rev-1 rek-2, rev-1 rek-1"})
        result = self.upload(content)
        assert problems(result) == []
        [change] = result.writes
        assert change.columns == ["Revisionens rekommendationer bakom risken"]

        apply_changes(result, acting_user=self.coordinator)

        linked = set(self.sn_risk.recommendations.values_list("pk", flat=True))
        assert linked == {self.sn_recommendation.pk, self.second.pk}
        assert self.sn_risk.history.first().history_user == self.coordinator

    def test_an_emptied_cell_removes_the_links(self) -> None:
        result = self.upload(edited(self.workbook(), "Risker", {CELL: None}))
        apply_changes(result, acting_user=self.coordinator)
        assert not self.sn_risk.recommendations.exists()

    def test_a_recommendation_the_form_does_not_offer_is_refused_by_sheet_row_and_column(
        self,
    ) -> None:
        result = self.upload(edited(self.workbook(), "Risker", {CELL: "rev-2 rek-1"}))
        [problem] = problems(result)
        assert "Risker" in problem
        assert "rad 2" in problem
        assert f"{RISKS.letter('recommendations')} (Revisionens" in problem
        assert "”rev-2 rek-1” är inte ett av valen: “rev-1 rek-1”, “rev-1 rek-2”." in problem

    def test_a_link_the_person_may_not_see_is_neither_shown_nor_lost(self) -> None:
        self.sn_risk.recommendations.add(self.bn_recommendation)
        content = self.workbook()
        book = openpyxl.load_workbook(io.BytesIO(content))
        assert book["Risker"][CELL].value == "rev-1 rek-1"
        changed = edited(content, "Risker", {"C2": "Ny rubrik", CELL: "rev-1 rek-2"})
        result = self.upload(changed)
        assert problems(result) == []

        apply_changes(result, acting_user=self.coordinator)

        linked = set(self.sn_risk.recommendations.values_list("pk", flat=True))
        assert linked == {self.second.pk, self.bn_recommendation.pk}

    def test_a_new_risk_is_linked_by_reference(self) -> None:
        book = openpyxl.load_workbook(io.BytesIO(self.workbook()))
        row = ["R9", "", "Ny risk"] + [""] * (len(RISKS.columns) - 4) + ["rev-1 rek-2"]
        book["Risker"].append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        result = self.upload(buffer.getvalue())
        assert problems(result) == []

        apply_changes(result, acting_user=self.coordinator)

        risk = self.sn_plan.risks.get(external_id="R9")
        assert list(risk.recommendations.all()) == [self.second]

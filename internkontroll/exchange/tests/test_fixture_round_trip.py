import json
from collections import Counter
from pathlib import Path
from typing import Any

from django.test import TestCase

from internkontroll.exchange.exporter import export_document
from internkontroll.exchange.importer import import_document
from internkontroll.followups.models import FollowUp
from internkontroll.organisation.models import Organisation
from internkontroll.risks.models import Risk

FIXTURES = Path(__file__).parent / "fixtures"
DEMO = Path(__file__).parents[1] / "data" / "demo.json"


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text("utf-8"))


class RoundTripTests(TestCase):
    def round_trip(self, path: Path) -> Organisation:
        document = load(path)
        summary = import_document(document)
        organisation = Organisation.objects.get(name=summary.organisation)
        assert export_document(organisation) == document
        return organisation

    def test_fourteen_risks_followed_up_at_the_half_year_come_back_unchanged(self) -> None:
        organisation = self.round_trip(FIXTURES / "critical_risks_halfyear.json")
        assert [p.code for p in organisation.periods.all()] == ["DEL", "HEL"]
        risks = list(Risk.objects.filter(plan__unit__organisation=organisation))
        assert len(risks) == 14
        assert all(risk.plan.risk_matrix.probability_size == 4 for risk in risks)
        critical = [risk for risk in risks if risk.is_critical]
        assert len(critical) == 4
        for risk in critical:
            follow_up = risk.follow_ups.get(period__code="DEL")
            assert follow_up.on_track is not None
            assert follow_up.comment

    def test_a_plan_organised_by_goals_and_processes_comes_back_unchanged(self) -> None:
        organisation = self.round_trip(FIXTURES / "goals_and_processes.json")
        risks = Risk.objects.filter(plan__unit__organisation=organisation)
        assert all(risk.goal_id and risk.process_id for risk in risks)
        results = Counter(
            FollowUp.objects.filter(
                control_activity__risk__plan__unit__organisation=organisation
            ).values_list("period__code", "result")
        )
        for period in ("T1", "T2", "VB"):
            for result in ("no_remarks", "deviation", "not_done"):
                assert results[(period, result)], (period, result)

    def test_the_demo_document_comes_back_unchanged(self) -> None:
        self.round_trip(DEMO)

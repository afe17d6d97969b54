"""The report kinds read a constant number of queries, whatever the plan's size."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.organisation.models import Period
from internkontroll.reports.kinds import KINDS, build
from internkontroll.risks.models import Action
from internkontroll.test import BaseTestCase, make_risk


class QueryCountTests(BaseTestCase):
    def queries(self, kind: str) -> int:
        period = Period.objects.get(organisation=self.organisation, code="T1")
        plan = type(self.sn_plan).objects.select_related("unit").get(pk=self.sn_plan.pk)
        with CaptureQueriesContext(connection) as captured:
            build(kind, plan, period if KINDS[kind].takes_period else None)
        return len(captured.captured_queries)

    def grow(self, count: int) -> None:
        for number in range(count):
            risk = make_risk(self.sn_plan, f"extra-{number}", probability=3, consequence=4)
            action = Action.objects.create(risk=risk, external_id="a", title="Åtgärd")
            FollowUp.objects.create(action=action, date="2025-05-01", comment="Pågår.")
            activity = ControlActivity.objects.create(risk=risk, external_id="k", title="Kontroll")
            FollowUp.objects.create(
                control_activity=activity, date="2025-05-01", result="deviation"
            )

    def test_the_data_functions_do_not_grow_with_the_number_of_risks(self) -> None:
        before = {kind: self.queries(kind) for kind in KINDS}
        self.grow(15)
        after = {kind: self.queries(kind) for kind in KINDS}
        assert after == before
        assert max(after.values()) <= 20

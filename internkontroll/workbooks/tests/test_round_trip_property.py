"""Random plans through the workbook: every stored value is written so that it reads back the
same, so a downloaded workbook uploaded unchanged changes nothing; an edited one is applied
through the forms' write functions and then reads back unchanged (properties)."""

from __future__ import annotations

import io

import openpyxl
from hypothesis import given
from hypothesis.extra.django import TestCase

from internkontroll.accounts.models import User
from internkontroll.audits.models import Recommendation
from internkontroll.exchange.importer import import_document
from internkontroll.exchange.tests.strategies import Document, documents
from internkontroll.exchange.tests.test_round_trip_property import PROPERTY_SETTINGS
from internkontroll.plans.models import ControlPlan
from internkontroll.workbooks import current
from internkontroll.workbooks.actions import apply_changes
from internkontroll.workbooks.layout import RISKS
from internkontroll.workbooks.tests.helpers import changeset, download, problems


def link_recommendations(plan: ControlPlan) -> None:
    """Every other risk of the plan linked to all its organisation's audit recommendations
    (the exchange format does not carry these links)."""
    found = list(Recommendation.objects.filter(report__organisation=plan.unit.organisation_id))
    for risk in list(plan.risks.order_by("pk"))[::2]:
        risk.recommendations.set(found)


def links(plan: ControlPlan) -> set[tuple[int, int]]:
    return set(plan.risks.values_list("pk", "recommendations"))


class WorkbookRoundTripPropertyTests(TestCase):
    """Each example runs in a transaction of its own that is rolled back afterwards. The
    workbooks are made for an administrator, who is offered every recommendation."""

    @PROPERTY_SETTINGS
    @given(documents())
    def test_every_plan_downloaded_and_uploaded_unchanged_changes_nothing(
        self, document: Document
    ) -> None:
        import_document(document)
        admin = User.objects.create(username="admin", is_superuser=True)
        for plan in ControlPlan.objects.select_related("unit", "risk_matrix"):
            link_recommendations(plan)
            stored = current.stored(plan)

            result = changeset(plan, download(plan, user=admin), user=admin)

            assert problems(result) == []
            assert [(c.kind, c.row, c.columns) for c in result.writes] == []
            assert dict(result.absent) == {
                "risks": 0,
                "actions": 0,
                "control_activities": 0,
                "follow_ups": 0,
            }
            assert len(result.of("risks")) == len(stored.risks)
            read = {
                (c.existing.pk, r) for c in result.of("risks") for r in c.values["recommendations"]
            }
            assert read == {link for link in links(plan) if link[1] is not None}
            assert len(result.of("follow_ups")) == len(stored.follow_ups)

    @PROPERTY_SETTINGS
    @given(documents())
    def test_an_edited_workbook_is_applied_and_then_reads_back_unchanged(
        self, document: Document
    ) -> None:
        import_document(document)
        admin = User.objects.create(username="admin", is_superuser=True)
        for plan in ControlPlan.objects.select_related("unit", "risk_matrix"):
            link_recommendations(plan)
            linked = links(plan)
            content = download(plan, user=admin)
            book = openpyxl.load_workbook(io.BytesIO(content))
            sheet = book[str(RISKS.title)]
            column = RISKS.letter("title")
            for row in range(2, sheet.max_row + 1):
                sheet[f"{column}{row}"] = f"Ändrad risk {row}"
            buffer = io.BytesIO()
            book.save(buffer)
            result = changeset(plan, buffer.getvalue(), user=admin)
            assert problems(result) == []

            apply_changes(result, acting_user=None)

            titles = sorted(plan.risks.values_list("title", flat=True))
            assert titles == sorted(f"Ändrad risk {row}" for row in range(2, len(titles) + 2))
            assert links(plan) == linked
            again = changeset(plan, download(plan, user=admin), user=admin)
            assert problems(again) == []
            assert again.writes == []

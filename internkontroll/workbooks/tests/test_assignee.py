"""The person an action or control activity is assigned to, in the workbook: the people the
form offers, checked per row on upload, and applied through the same write functions."""

from __future__ import annotations

import datetime
import io
import tempfile

import openpyxl
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.accounts.models import Role
from internkontroll.controls.models import ControlActivity
from internkontroll.risks.models import Action
from internkontroll.test import BaseTestCase, make_risk, make_user
from internkontroll.workbooks.actions import apply_changes
from internkontroll.workbooks.layout import ACTIONS, CONTROL_ACTIVITIES
from internkontroll.workbooks.models import PendingWorkbook
from internkontroll.workbooks.tests.helpers import (
    appended,
    changeset,
    download,
    edited,
    problems,
    statuses,
)
from internkontroll.workbooks.writer import LISTS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACTION_CELL = f"{ACTIONS.letter('assignee')}2"
ACTIVITY_CELL = f"{CONTROL_ACTIVITIES.letter('assignee')}2"


@time_machine.travel(datetime.datetime(2025, 9, 10, 10, tzinfo=datetime.UTC), tick=False)
class AssigneeTests(BaseTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        media = cls.enterClassContext(tempfile.TemporaryDirectory())
        cls.enterClassContext(override_settings(MEDIA_ROOT=media))
        super().setUpClass()

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Responsible for a unit of the committee, but not for the unit of the risk r-1.
        cls.barn = make_user("barnchef", cls.organisation, [(Role.RESPONSIBLE, cls.sf_barn)])
        # Responsible in another committee: no item of this plan can be given to her.
        cls.school = make_user("skolchef", cls.organisation, [(Role.RESPONSIBLE, cls.bf)])

    def people_list(self, content: bytes) -> list[str]:
        lists = openpyxl.load_workbook(io.BytesIO(content))["Listor"]
        column = LISTS.index("people") + 1
        cells = lists.iter_rows(min_col=column, max_col=column, values_only=True)
        return [row[0] for row in cells if row[0] is not None]

    def test_the_download_names_the_person_and_offers_the_forms_people(self) -> None:
        Action.objects.filter(pk=self.sn_action.pk).update(assignee=self.responsible)

        content = download(self.sn_plan)

        book = openpyxl.load_workbook(io.BytesIO(content))
        assert book["Åtgärder"][f"{ACTIONS.letter('assignee')}1"].value == "Ansvarig person"
        assert book["Åtgärder"][ACTION_CELL].value == "ansvarig"
        assert book["Kontrollaktiviteter"][ACTIVITY_CELL].value is None
        people = self.people_list(content)
        assert set(people) == {"ansvarig", "barnchef", "samordnare"}
        # Readers, auditors, administrators and other committees' people are not offered.
        assert not {"lasare", "revisor", "admin", "skolchef", "utomstaende"} & set(people)
        sources = {
            str(validation.sqref): validation.formula1
            for validation in book["Kontrollaktiviteter"].data_validations.dataValidation
        }
        letter = CONTROL_ACTIVITIES.letter("assignee")
        assert sources[f"{letter}2:{letter}10000"] == "'Listor'!$M$1:$M$3"

    def test_a_person_no_longer_offered_stays_as_the_item_has_it(self) -> None:
        ControlActivity.objects.filter(pk=self.sn_activity.pk).update(assignee=self.school)

        result = changeset(self.sn_plan, download(self.sn_plan))

        assert problems(result) == []
        assert result.writes == []

    def test_a_changed_person_is_previewed_and_applied(self) -> None:
        content = edited(download(self.sn_plan), "Åtgärder", {ACTION_CELL: "ansvarig"})
        content = edited(content, "Kontrollaktiviteter", {ACTIVITY_CELL: "Samordnare"})
        self.client.force_login(self.coordinator)
        self.client.post(
            reverse("workbooks:upload", args=[self.sn_plan.pk]),
            {"file": SimpleUploadedFile("plan.xlsx", content, content_type=XLSX)},
        )
        pending = PendingWorkbook.objects.get()

        page = self.client.get(reverse("workbooks:preview", args=[pending.pk]))
        applied = self.client.post(
            reverse("workbooks:apply", args=[pending.pk]),
            {"fingerprint": page.context["fingerprint"]},
        )

        assert "Ansvarig person" in page.content.decode()
        assert "Genomför 2 ändringar" in page.content.decode()
        assert applied.status_code == 302
        self.sn_action.refresh_from_db()
        self.sn_activity.refresh_from_db()
        assert self.sn_action.assignee == self.responsible
        assert self.sn_activity.assignee == self.coordinator
        assert self.sn_action.history.first().history_user == self.coordinator
        assert changeset(self.sn_plan, download(self.sn_plan)).writes == []

    def test_a_cleared_person_is_removed(self) -> None:
        Action.objects.filter(pk=self.sn_action.pk).update(assignee=self.responsible)
        content = edited(download(self.sn_plan), "Åtgärder", {ACTION_CELL: None})
        result = changeset(self.sn_plan, content)
        assert [change.columns for change in result.writes] == [["Ansvarig person"]]

        apply_changes(result, acting_user=self.coordinator)

        self.sn_action.refresh_from_db()
        assert self.sn_action.assignee is None

    def test_a_person_the_form_would_not_offer_for_the_row_is_refused(self) -> None:
        # barnchef is offered in the list (Barnenheten is the committee's), but r-1 is
        # Vuxenenheten's risk, so the form would not offer her for its items.
        content = edited(download(self.sn_plan), "Åtgärder", {ACTION_CELL: "barnchef"})
        content = edited(content, "Kontrollaktiviteter", {ACTIVITY_CELL: "lasare"})

        result = changeset(self.sn_plan, content)

        unknown, unfit = problems(result)  # cells are read before rows are compared
        letter = CONTROL_ACTIVITIES.letter("assignee")
        assert unknown.startswith(f"blad Kontrollaktiviteter, rad 2, kolumn {letter} (Ansvarig ")
        assert "lasare” är inte ett av valen" in unknown
        letter = ACTIONS.letter("assignee")
        assert unfit.startswith(f"blad Åtgärder, rad 2, kolumn {letter} (Ansvarig person): ")
        assert "barnchef kan inte vara ansvarig person här" in unfit
        assert "(Vuxenenheten)" in unfit

    def test_a_new_risks_unit_decides_who_may_have_its_items(self) -> None:
        content = appended(
            download(self.sn_plan),
            "Risker",
            ["R9", "", "Brister i placeringar", "Barnenheten"],
        )
        # description, responsible, person responsible, due date, status
        rest = ["", "", "barnchef", "", "ej påbörjad"]
        content = appended(content, "Åtgärder", ["R9", "", "", "Följ upp placeringar", *rest])
        content = appended(content, "Åtgärder", ["r-1", "", "", "Ny åtgärd", *rest])

        result = changeset(self.sn_plan, content)

        found = problems(result)
        assert len(found) == 1
        assert found[0].startswith("blad Åtgärder, rad 4,")
        assert statuses(result)["actions"] == {"unchanged": 1, "new": 2}

    def test_checking_many_rows_takes_one_query_per_set_of_units(self) -> None:
        period = self.organisation.periods.first()
        for number in range(6):
            risk = make_risk(
                self.sn_plan, f"x-{number}", unit=self.sf_vux, probability=1, consequence=1
            )
            Action.objects.create(risk=risk, external_id="a-1", title="Åtgärd")
            activity = ControlActivity.objects.create(risk=risk, external_id="k-1", title="K")
            activity.periods.set([period])
        content = download(self.sn_plan)

        def queries(rows: int) -> int:
            cells = {f"{ACTIONS.letter('assignee')}{row}": "ansvarig" for row in range(2, rows + 2)}
            changed = edited(content, "Åtgärder", cells)
            with CaptureQueriesContext(connection) as captured:
                result = changeset(self.sn_plan, changed)
            assert problems(result) == []
            assert len(result.writes) == rows
            return len(captured)

        assert queries(1) == queries(7)

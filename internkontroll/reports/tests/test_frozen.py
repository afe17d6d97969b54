"""/rapporter/versioner/<version>/: the adopted version's report, built from its frozen copy."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from internkontroll.access.plans import WHOLE, PlanReading
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.plans.models import AdoptedVersion, ControlPlan
from internkontroll.plans.versions import record_version
from internkontroll.reports.frozen import FrozenUnreadable, frozen_snapshot
from internkontroll.reports.loading import end_of_day
from internkontroll.reports.tests.helpers import text_of
from internkontroll.risks.models import Risk
from internkontroll.test import BaseTestCase, make_risk

FORMATS = ("html", "pdf", "docx", "xlsx")

DECIDED_ON = datetime.date(2024, 12, 12)
# Each risk, recognised by its title and its control activity.
VUX = ("Felaktiga utbetalningar", "Stickprov på utbetalningar")
BARN = ("Orosanmälningar utreds för sent", "Kontroll av barnlistan")
COMMITTEE = ("Delegationsordningen är inaktuell", "Genomgång av delegationsbeslut")
DELETED = ("Brister i arkiveringen", "Stickprov i arkivet")
ANALYSIS = "Analysen som bara nämnden ser"


class FrozenReportTests(BaseTestCase):
    """Socialnämnden's plan for 2025, adopted on 12 December 2024 and registered today."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        ControlActivity.objects.create(risk=cls.sn_risk, external_id="k-2", title=VUX[1])
        for external_id, unit, (title, activity) in (
            ("r-2", cls.sf_barn, BARN),
            ("r-3", cls.sn, COMMITTEE),
            ("r-4", cls.sf_vux, DELETED),
        ):
            risk = make_risk(
                cls.sn_plan,
                external_id,
                title=title,
                unit=unit,
                probability=2,
                consequence=3,
                handling=["review"],
            )
            ControlActivity.objects.create(risk=risk, external_id="k-1", title=activity)
        FollowUp.objects.create(
            control_activity=ControlActivity.objects.get(title=BARN[1]),
            period=cls.organisation.periods.get(code="T1"),
            date=datetime.date(2025, 4, 28),
            result="deviation",
            comment="Två anmälningar låg över tiden.",
        )
        cls.sn_assessment.decided_on = datetime.date(2026, 2, 10)
        cls.sn_assessment.analysis = ANALYSIS
        cls.sn_assessment.save()
        cls.version = record_version(
            cls.sn_plan,
            kind=AdoptedVersion.Kind.PLAN,
            decided_on=DECIDED_ON,
            reference="SN-2024/259",
            acting_user=cls.coordinator,
        )
        cls.decision = record_version(
            cls.sn_plan,
            kind=AdoptedVersion.Kind.ASSESSMENT,
            decided_on=datetime.date(2026, 2, 10),
            reference="SN-2024/259",
            acting_user=cls.coordinator,
        )

    def url(self, version: AdoptedVersion | None = None, fmt: str = "html") -> str:
        return reverse("reports:version", args=[(version or self.version).pk]) + f"?format={fmt}"

    def text(self, user: Any, fmt: str = "html", version: AdoptedVersion | None = None) -> str:
        self.client.force_login(user)
        response = self.client.get(self.url(version, fmt))
        assert response.status_code == 200, (fmt, response.content[:500])
        return text_of(response, fmt)

    def loaded(self, version: AdoptedVersion) -> AdoptedVersion:
        return AdoptedVersion.objects.select_related("plan__unit").get(pk=version.pk)

    # Whenever the adoption was registered --------------------------------------------------

    def test_an_adoption_registered_after_the_meeting_gives_the_frozen_plan(self) -> None:
        # The plan's history begins when it was entered, after the meeting: nothing to rebuild.
        assert not ControlPlan.history.filter(
            id=self.sn_plan.pk, history_date__lte=end_of_day(DECIDED_ON)
        ).exists()
        text = self.text(self.coordinator)
        for title in (*VUX, *BARN, *COMMITTEE, *DELETED):
            assert title in text

    def test_the_document_says_it_is_the_version_adopted_on_its_date_with_its_reference(
        self,
    ) -> None:
        for fmt in FORMATS:
            with self.subTest(format=fmt):
                text = self.text(self.coordinator, fmt)
                assert "Fastställd den" in text or "fastställd den" in text
                assert "2024-12-12" in text
                assert "SN-2024/259" in text

    def test_content_edited_after_adoption_shows_as_adopted(self) -> None:
        Risk.objects.filter(pk=self.sn_risk.pk).update(title="Omskriven risk efter beslutet")
        ControlActivity.objects.filter(title=BARN[1]).update(title="Ändrad kontroll")
        for fmt in FORMATS:
            with self.subTest(format=fmt):
                text = self.text(self.coordinator, fmt)
                assert VUX[0] in text
                assert BARN[1] in text
                assert "Omskriven risk efter beslutet" not in text
                assert "Ändrad kontroll" not in text

    def test_a_risk_deleted_after_adoption_is_still_in_the_report(self) -> None:
        Risk.objects.filter(title=DELETED[0]).delete()
        for fmt in FORMATS:
            with self.subTest(format=fmt):
                text = self.text(self.coordinator, fmt)
                assert DELETED[0] in text
                assert DELETED[1] in text

    def test_a_risk_added_after_adoption_is_not_in_the_report(self) -> None:
        make_risk(self.sn_plan, "r-9", title="Tillkommen efter beslutet", handling=["review"])
        assert "Tillkommen efter beslutet" not in self.text(self.coordinator)

    def test_a_decided_assessment_gives_the_assessment_report_as_decided(self) -> None:
        self.sn_assessment.analysis = "En senare omskriven analys"
        self.sn_assessment.save()
        for fmt in FORMATS:
            with self.subTest(format=fmt):
                text = self.text(self.coordinator, fmt, self.decision)
                assert ANALYSIS in text
                assert "En senare omskriven analys" not in text

    def test_the_frozen_content_is_not_read_from_the_database(self) -> None:
        version = self.loaded(self.version)
        with self.assertNumQueries(1):  # who the units are today, for the reader's share
            snapshot, plan = frozen_snapshot(version, WHOLE)
        assert [risk.title for risk in snapshot.risks_of(plan)] == [
            VUX[0],
            BARN[0],
            COMMITTEE[0],
            DELETED[0],
        ]
        assert plan.adopted_on == DECIDED_ON
        assert snapshot.as_of == DECIDED_ON
        assert [period.code for period in snapshot.periods] == ["T1", "T2", "VB"]

    def test_the_frozen_keys_are_wired_consistently(self) -> None:
        snapshot, plan = frozen_snapshot(self.loaded(self.version), WHOLE)
        activities = snapshot.by_risk("activities")
        risk = next(risk for risk in snapshot.risks if risk.title == BARN[0])
        assert [a.title for a in activities[risk.pk]] == [BARN[1]]
        assert snapshot.units[risk.unit_id].name == "Barnenheten"
        assert snapshot.units[plan.unit_id].name == "Socialnämnden"
        assert plan.risk_matrix_id in snapshot.matrices
        [follow_up] = snapshot.follow_ups_by("control_activity")[activities[risk.pk][0].pk]
        assert snapshot.period(follow_up.period_id).code == "T1"
        action = next(action for action in snapshot.actions if action.title == self.sn_action.title)
        assert next(r for r in snapshot.risks if r.pk == action.risk_id).title == VUX[0]

    def test_periods_and_matrix_come_from_the_current_rows_when_the_copy_lacks_them(self) -> None:
        stored = self.version.snapshot
        organisation = {"name": stored["organisation"]["name"]}
        AdoptedVersion.objects.filter(pk=self.version.pk).update(
            snapshot={**stored, "organisation": organisation}
        )
        snapshot, plan = frozen_snapshot(self.loaded(self.version), WHOLE)
        assert [period.code for period in snapshot.periods] == ["T1", "T2", "VB"]
        matrix = snapshot.matrices[plan.risk_matrix_id]
        assert matrix.probability_labels == self.sn_plan.risk_matrix.probability_labels

    # Who gets what --------------------------------------------------------------------------

    def test_every_format_opens_as_a_download(self) -> None:
        self.client.force_login(self.coordinator)
        for fmt in ("pdf", "docx", "xlsx"):
            with self.subTest(format=fmt):
                response = self.client.get(self.url(fmt=fmt))
                assert response.status_code == 200
                assert response["Content-Disposition"].startswith("attachment;")
                assert response["Content-Disposition"].endswith(f'.{fmt}"')

    def test_a_reader_of_the_whole_organisation_gets_the_whole_plan(self) -> None:
        for fmt in FORMATS:
            with self.subTest(format=fmt):
                text = self.text(self.reader, fmt)
                for title in (VUX[0], BARN[0], COMMITTEE[0]):
                    assert title in text

    def test_a_reader_below_the_committee_gets_only_the_risks_of_their_units(self) -> None:
        for fmt in FORMATS:
            with self.subTest(format=fmt):
                text = self.text(self.responsible, fmt)
                assert VUX[0] in text
                assert DELETED[0] in text
                assert BARN[0] not in text
                assert BARN[1] not in text
                assert COMMITTEE[0] not in text
                assert "Barnenheten" not in text
                assert "Vuxenenheten" in text

    def test_the_frozen_share_is_the_same_rule_as_the_live_one(self) -> None:
        reading = PlanReading(whole=False, units=frozenset({self.sf_vux.pk}))
        snapshot, plan = frozen_snapshot(self.loaded(self.version), reading)
        live = Risk.objects.filter(plan=self.sn_plan, **reading.risk_filter())
        assert [risk.title for risk in snapshot.risks_of(plan)] == [
            risk.title for risk in live.order_by("pk")
        ]
        assert snapshot.assessments == {}

    def test_a_decided_assessment_is_refused_below_the_committee(self) -> None:
        self.client.force_login(self.responsible)
        assert self.client.get(self.url(self.decision)).status_code == 403

    def test_another_organisation_gets_404(self) -> None:
        self.client.force_login(self.outsider)
        for fmt in FORMATS:
            with self.subTest(format=fmt):
                assert self.client.get(self.url(fmt=fmt)).status_code == 404

    def test_anonymous_is_sent_to_log_in(self) -> None:
        response = self.client.get(self.url())
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))

    def test_it_rejects_post(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.post(self.url()).status_code == 405

    # A damaged copy -------------------------------------------------------------------------

    def test_a_damaged_copy_is_a_swedish_message_not_a_server_error(self) -> None:
        stored = self.version.snapshot
        plan = stored["plans"][0]
        damaged = {
            "not an object": "trasig",
            "no plans": {**stored, "plans": []},
            "plans not a list": {**stored, "plans": "trasig"},
            "a risk without title": {
                **stored,
                "plans": [{**plan, "risks": [{"id": "r-1"}]}],
            },
            "a probability outside the matrix": {
                **stored,
                "plans": [{**plan, "risks": [{**plan["risks"][0], "probability": 99}]}],
            },
            "an unknown unit": {
                **stored,
                "plans": [{**plan, "risks": [{**plan["risks"][0], "unit": "finns-inte"}]}],
            },
        }
        self.client.force_login(self.coordinator)
        for case, snapshot in damaged.items():
            with self.subTest(case=case):
                AdoptedVersion.objects.filter(pk=self.version.pk).update(snapshot=snapshot)
                for fmt in FORMATS:
                    response = self.client.get(self.url(fmt=fmt))
                    assert response.status_code == 400
                    text = response.content.decode()
                    assert "Rapporten kan inte skapas" in text
                    assert "den sparade kopian är skadad" in text
                with self.assertRaises(FrozenUnreadable):
                    frozen_snapshot(self.loaded(self.version), WHOLE)

    # The version's page ----------------------------------------------------------------------

    def test_the_version_page_links_the_report_in_every_format(self) -> None:
        self.client.force_login(self.coordinator)
        page = self.client.get(reverse("plans:version", args=[self.version.pk])).content.decode()
        for fmt in FORMATS:
            assert f'href="{self.url(fmt=fmt)}"' in page
        assert "as_of=" not in page

    def test_the_version_page_links_no_assessment_report_below_the_committee(self) -> None:
        self.client.force_login(self.responsible)
        address = reverse("reports:version", args=[self.decision.pk])
        page = self.client.get(reverse("plans:version", args=[self.decision.pk])).content.decode()
        assert address not in page
        self.client.force_login(self.coordinator)
        page = self.client.get(reverse("plans:version", args=[self.decision.pk])).content.decode()
        assert address in page

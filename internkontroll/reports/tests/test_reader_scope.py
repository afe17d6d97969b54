"""Every report kind in every format, for every role: exactly what that person may read.

A person whose role sits below the committee gets an excerpt: the risks their units
identified and what hangs on them, nothing of the rest of the plan, and the committee's own
decisions (assessment, the auditors' recommendations) not at all.
"""

from __future__ import annotations

import datetime

from django.urls import reverse

from internkontroll.accounts.models import Role, User
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.plans.models import AdoptedVersion
from internkontroll.plans.versions import record_version
from internkontroll.reports.kinds import KINDS
from internkontroll.reports.tests.helpers import bare, docx_text, pdf_text, text_of, xlsx_text
from internkontroll.risks.models import Action
from internkontroll.test import PASSWORD, BaseTestCase, make_risk, make_user

FORMATS = ("html", "pdf", "docx", "xlsx")

# What each part of the committee's plan is recognised by, in any format.
# A risk: its title, its action, the action's follow-up comment, its control activity.
VUX = (
    "Felaktiga utbetalningar",
    "Inför attest i två steg",
    "Arbetet har börjat",
    "Stickprov på utbetalningar",
)
BARN = (
    "Orosanmälningar utreds för sent",
    "Bevakningslista för anmälningar",
    "Listan är på plats",
    "Kontroll av barnlistan",
)
COMMITTEE_ONLY = ("Delegationsordningen är inaktuell",)
DECISIONS = ("Analysen som bara nämnden ser", "Upprätta en lokal anvisning")
OTHER_COMMITTEE = ("Brister i skolskjutsar",)


class ReaderScopeTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        barn = make_risk(
            cls.sn_plan,
            "r-2",
            title=BARN[0],
            unit=cls.sf_barn,
            probability=4,
            consequence=4,
            handling=["mitigate", "review"],
        )
        barn_action = Action.objects.create(
            risk=barn, external_id="a-1", title=BARN[1], due_date=datetime.date(2025, 6, 30)
        )
        FollowUp.objects.create(
            action=barn_action,
            period=cls.organisation.periods.get(code="T1"),
            date=datetime.date(2025, 4, 20),
            status="in_progress",
            comment=BARN[2],
        )
        t1 = cls.organisation.periods.get(code="T1")
        ControlActivity.objects.create(risk=barn, external_id="k-1", title=BARN[3]).periods.set(
            [t1]
        )
        cls.sn_activity.periods.set([t1])  # both activities are due in T1
        make_risk(
            cls.sn_plan, "r-3", title=COMMITTEE_ONLY[0], probability=4, consequence=4, handling=[]
        )
        cls.sn_follow_up.period = cls.organisation.periods.get(code="T1")
        cls.sn_follow_up.save(update_fields=["period"])
        cls.sn_assessment.analysis = DECISIONS[0]
        cls.sn_assessment.save(update_fields=["analysis"])
        cls.sn_report.date = datetime.date(2025, 3, 1)
        cls.sn_report.save(update_fields=["date"])
        # Below the committee: a reader on the administration (both units under it).
        cls.administration_reader = make_user(
            "forvaltningslasare", cls.organisation, [(Role.READER, cls.sf)]
        )
        cls.root = User.objects.create_superuser("rot", password=PASSWORD)

    def login(self, user: User) -> None:
        self.client.force_login(user)


class EveryReportForEveryRoleTests(ReaderScopeTestCase):
    def expected(self, role: str, kind: str) -> tuple[int, set[str], set[str]]:
        """(status, texts that must be there, texts that must not) for this person and kind."""
        spec = KINDS[kind]
        everything = set(VUX + BARN + COMMITTEE_ONLY + DECISIONS + OTHER_COMMITTEE)
        if role == "outsider":
            return 404, set(), set()
        whole = role in {"coordinator", "auditor", "reader", "admin", "root"}
        if spec.organisation_wide and role not in {"reader", "admin", "root"}:
            return 403, set(), set()
        if spec.whole_plan and not whole:
            return 403, set(), set()
        risks = [VUX] if role == "responsible" else [VUX, BARN]
        if whole:
            risks.append((*COMMITTEE_ONLY, "", "", ""))
        allowed = {text for risk in risks for text in risk} | (set(DECISIONS) if whole else set())
        return 200, self.shown_by_kind(kind, risks, whole) - {""}, everything - allowed

    def shown_by_kind(self, kind: str, risks: list[tuple[str, ...]], whole: bool) -> set[str]:
        """What each kind shows of a risk (title, action, comment, activity) and of decisions."""
        parts = {
            "risk-picture": (0, 1, 2),
            "control-plan": (0, 3),
            "follow-up": (0, 1, 2, 3),
            "critical-risks": (0,),
            "assessment": (3,),
            "recommendations": (),
            "overview": (),
        }[kind]
        shown = {risk[part] for risk in risks for part in parts if risk[3] or part == 0}
        if kind == "control-plan":
            shown -= set(COMMITTEE_ONLY)  # neither reviewed nor with an activity
        if whole and kind in {"follow-up", "recommendations"}:
            shown.add(DECISIONS[1])
        if whole and kind == "assessment":
            shown.add(DECISIONS[0])
        return shown

    def cast(self) -> dict[str, User]:
        return {
            "coordinator": self.coordinator,
            "responsible": self.responsible,
            "administration": self.administration_reader,
            "reader": self.reader,
            "auditor": self.auditor,
            "admin": self.admin,
            "root": self.root,
            "outsider": self.outsider,
        }

    def test_each_person_gets_exactly_their_share_of_every_report_in_every_format(self) -> None:
        for role, user in self.cast().items():
            self.login(user)
            for kind, spec in KINDS.items():
                status, shown, hidden = self.expected(role, kind)
                period = {"period": "T1"} if spec.takes_period else {}
                for fmt in FORMATS:
                    with self.subTest(role=role, kind=kind, format=fmt):
                        query = {**period, "format": fmt, "now": "1"}
                        response = self.client.get(
                            reverse("reports:report", args=[kind, self.sn_plan.pk]), query
                        )
                        assert response.status_code == status
                        if status != 200:
                            continue
                        text = bare(text_of(response, fmt))
                        for expected_text in shown:
                            if fmt == "xlsx" and expected_text == DECISIONS[0]:
                                continue  # the workbook holds the report's tables only
                            assert bare(expected_text) in text, expected_text
                        for hidden_text in hidden:
                            assert bare(hidden_text) not in text, hidden_text
                    if status != 200:
                        break  # the same refusal in every format: one request says it

    def test_an_excerpt_says_whose_risks_it_holds(self) -> None:
        self.login(self.responsible)
        response = self.client.get(
            reverse("reports:report", args=["risk-picture", self.sn_plan.pk]), {"format": "docx"}
        )
        assert "Endast de risker som Vuxenenheten har identifierat." in docx_text(response.content)
        self.login(self.administration_reader)
        response = self.client.get(
            reverse("reports:report", args=["risk-picture", self.sn_plan.pk]), {"format": "pdf"}
        )
        assert "Socialförvaltningen" in pdf_text(response.content)

    def test_the_htmx_fragment_is_the_same_excerpt(self) -> None:
        self.login(self.responsible)
        response = self.client.get(
            reverse("reports:report", args=["follow-up", self.sn_plan.pk]),
            {"period": "T1"},
            headers={"HX-Request": "true"},
        )
        text = response.content.decode()
        assert VUX[0] in text
        assert BARN[0] not in text
        assert DECISIONS[1] not in text

    def test_a_report_as_of_a_past_day_is_an_excerpt_too(self) -> None:
        self.login(self.responsible)
        response = self.client.get(
            reverse("reports:report", args=["risk-picture", self.sn_plan.pk]),
            {"format": "xlsx", "as_of": datetime.date.today().isoformat()},
        )
        text = xlsx_text(response.content)
        assert VUX[0] in text
        assert BARN[0] not in text
        assert COMMITTEE_ONLY[0] not in text


class PlanPageTests(ReaderScopeTestCase):
    def test_a_reader_below_the_committee_sees_their_part_and_no_committee_decisions(self) -> None:
        self.login(self.responsible)
        text = self.client.get(reverse("plans:detail", args=[self.sn_plan.pk])).content.decode()
        assert VUX[0] in text
        for hidden in (BARN[0], COMMITTEE_ONLY[0], DECISIONS[0]):
            assert hidden not in text
        assert "Du ser ett utdrag ur planen" in text
        assert "Bedömning av intern kontroll" not in text
        assert reverse("reports:report", args=["assessment", self.sn_plan.pk]) not in text
        assert reverse("reports:report", args=["risk-picture", self.sn_plan.pk]) in text

    def test_the_coordinator_sees_the_whole_plan_and_no_excerpt_notice(self) -> None:
        self.login(self.coordinator)
        text = self.client.get(reverse("plans:detail", args=[self.sn_plan.pk])).content.decode()
        assert VUX[0] in text
        assert BARN[0] in text
        assert "Du ser ett utdrag ur planen" not in text
        assert reverse("reports:report", args=["assessment", self.sn_plan.pk]) in text


class AdoptedVersionTests(ReaderScopeTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.version = record_version(
            cls.sn_plan,
            kind=AdoptedVersion.Kind.PLAN,
            decided_on=datetime.date(2024, 12, 12),
            reference="SN-2024/259",
            acting_user=cls.coordinator,
        )
        cls.decision = record_version(
            cls.sn_plan,
            kind=AdoptedVersion.Kind.ASSESSMENT,
            decided_on=datetime.date(2025, 2, 10),
            reference="SN-2024/259",
            acting_user=cls.coordinator,
        )

    def get(self, user: User, version: AdoptedVersion, **query: str) -> str:
        self.login(user)
        response = self.client.get(reverse("plans:version", args=[version.pk]), query)
        assert response.status_code == 200
        return response.content.decode()

    def test_a_reader_below_the_committee_gets_only_their_risks_in_the_page_and_the_json(
        self,
    ) -> None:
        for fmt in ({}, {"format": "json"}):
            with self.subTest(format=fmt):
                text = self.get(self.responsible, self.version, **fmt)
                assert VUX[0] in text
                assert BARN[0] not in text
                assert COMMITTEE_ONLY[0] not in text
                assert "Vuxenenheten" in text
                assert "Barnenheten" not in text

    def test_a_decided_assessment_is_not_shown_below_the_committee(self) -> None:
        for fmt in ({}, {"format": "json"}):
            with self.subTest(format=fmt):
                assert DECISIONS[0] not in self.get(self.responsible, self.decision, **fmt)
                assert DECISIONS[0] in self.get(self.coordinator, self.decision, **fmt)

    def test_the_coordinator_gets_the_whole_frozen_plan(self) -> None:
        text = self.get(self.coordinator, self.version, format="json")
        for title in (VUX[0], BARN[0], COMMITTEE_ONLY[0]):
            assert title in text

    def test_changes_since_adoption_list_only_what_the_reader_may_read(self) -> None:
        from internkontroll.risks.models import Risk

        Risk.objects.filter(external_id="r-2", plan=self.sn_plan).update(
            title="Omdöpt barnrisk som bara nämnden ser"
        )
        Risk.objects.filter(pk=self.sn_risk.pk).update(title="Omdöpt vuxenrisk")
        self.login(self.responsible)
        changes = reverse("plans:detail", args=[self.sn_plan.pk]) + "?changes=1"
        text = self.client.get(changes).content.decode()
        assert "Omdöpt vuxenrisk" in text
        assert "Omdöpt barnrisk" not in text
        assert BARN[0] not in text
        self.login(self.coordinator)
        assert "Omdöpt barnrisk som bara nämnden ser" in self.client.get(changes).content.decode()

    def test_another_organisation_gets_404(self) -> None:
        self.login(self.outsider)
        response = self.client.get(reverse("plans:version", args=[self.version.pk]))
        assert response.status_code == 404

"""The cast every test starts from: one municipality with committees, and a stranger."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import TestCase

from internkontroll.accounts.models import Role, RoleAssignment, User
from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.organisation.models import Organisation, Unit
from internkontroll.plans.models import Assessment, ControlPlan
from internkontroll.risks.models import Action, Risk

PASSWORD = "ett-långt-testlösenord-2025"


def make_organisation(name: str) -> Organisation:
    organisation = Organisation.objects.create(name=name)
    organisation.current_risk_matrix()
    organisation.ensure_default_periods()
    return organisation


def make_unit(
    organisation: Organisation,
    external_id: str,
    kind: str,
    parent: Unit | None = None,
    name: str | None = None,
) -> Unit:
    return Unit.objects.create(
        organisation=organisation,
        external_id=external_id,
        kind=kind,
        parent=parent,
        name=name or external_id,
    )


def make_plan(unit: Unit, year: int = 2025, **fields: Any) -> ControlPlan:
    return ControlPlan.objects.create(
        unit=unit, year=year, risk_matrix=unit.organisation.current_risk_matrix(), **fields
    )


def make_risk(plan: ControlPlan, external_id: str, **fields: Any) -> Risk:
    fields.setdefault("title", f"Risk {external_id}")
    return Risk.objects.create(plan=plan, external_id=external_id, **fields)


def make_user(
    username: str, organisation: Organisation | None, roles: list[tuple[str, Unit | None]] = ()
) -> User:  # type: ignore[assignment]
    user = User.objects.create_user(username=username, password=PASSWORD, organisation=organisation)
    for role, unit in roles:
        assert organisation is not None
        RoleAssignment.objects.create(user=user, organisation=organisation, unit=unit, role=role)
    return user


class BaseTestCase(TestCase):
    """Exempelstad with two committees, and another municipality nobody here may see.

    Tree: ks; sn → sf → (sf-vux, sf-barn); bn → bf. Plans for sn and bn 2025.
    """

    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation("Exempelstad")
        org = cls.organisation
        cls.ks = make_unit(org, "ks", "committee", name="Kommunstyrelsen")
        cls.sn = make_unit(org, "sn", "committee", name="Socialnämnden")
        cls.sf = make_unit(org, "sf", "administration", cls.sn, name="Socialförvaltningen")
        cls.sf_vux = make_unit(org, "sf-vux", "unit", cls.sf, name="Vuxenenheten")
        cls.sf_barn = make_unit(org, "sf-barn", "unit", cls.sf, name="Barnenheten")
        cls.bn = make_unit(org, "bn", "committee", name="Barn- och utbildningsnämnden")
        cls.bf = make_unit(org, "bf", "administration", cls.bn, name="Utbildningsförvaltningen")

        cls.sn_plan = make_plan(
            cls.sn, adopted_on=datetime.date(2024, 12, 12), reference="SN-2024/259"
        )
        cls.sn_risk = make_risk(
            cls.sn_plan,
            "r-1",
            title="Felaktiga utbetalningar",
            unit=cls.sf_vux,
            probability=3,
            consequence=3,
            handling=["mitigate", "review"],
        )
        cls.sn_action = Action.objects.create(
            risk=cls.sn_risk,
            external_id="a-1",
            title="Inför attest i två steg",
            due_date=datetime.date(2025, 6, 30),
            status="in_progress",
        )
        cls.sn_activity = ControlActivity.objects.create(
            risk=cls.sn_risk,
            external_id="k-1",
            title="Stickprov på utbetalningar",
            method="sample",
        )
        cls.sn_follow_up = FollowUp.objects.create(
            action=cls.sn_action,
            date=datetime.date(2025, 5, 2),
            status="in_progress",
            comment="Arbetet har börjat.",
        )
        cls.sn_assessment = Assessment.objects.create(plan=cls.sn_plan, verdict="sufficient")
        cls.sn_report = AuditReport.objects.create(
            organisation=org, external_id="rev-1", unit=cls.sn, title="Granskning av resor"
        )
        cls.sn_recommendation = Recommendation.objects.create(
            report=cls.sn_report, external_id="rek-1", text="Upprätta en lokal anvisning."
        )
        cls.bn_plan = make_plan(cls.bn)
        cls.bn_risk = make_risk(
            cls.bn_plan, "r-1", title="Brister i skolskjutsar", probability=2, consequence=2
        )

        cls.coordinator = make_user("samordnare", org, [(Role.COORDINATOR, cls.sn)])
        cls.responsible = make_user("ansvarig", org, [(Role.RESPONSIBLE, cls.sf_vux)])
        cls.reader = make_user("lasare", org, [(Role.READER, None)])
        cls.auditor = make_user("revisor", org, [(Role.AUDITOR, cls.sn)])
        cls.admin = make_user("admin", org, [(Role.ADMIN, None)])

        cls.other_organisation = make_organisation("Grannkommun")
        cls.other_committee = make_unit(cls.other_organisation, "sn", "committee")
        cls.other_plan = make_plan(cls.other_committee)
        cls.other_risk = make_risk(cls.other_plan, "r-1", probability=1, consequence=1)
        cls.outsider = make_user(
            "utomstaende", cls.other_organisation, [(Role.COORDINATOR, cls.other_committee)]
        )

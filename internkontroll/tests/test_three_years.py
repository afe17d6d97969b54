"""Three consecutive years of internal control in the application, as the people run them.

Issue 11's "done when": a municipality runs three years, from the first risk analysis to the
third year's annual assessment, without the Django admin and without a reminder written by
hand. Every user-visible step goes through the application's pages; only the organisation,
its units and its people are set up in the model layer.
"""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse

from internkontroll.accounts.models import Role, User
from internkontroll.controls.models import ControlActivity
from internkontroll.organisation.models import Organisation, Period, Unit
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.models import Action, Risk
from internkontroll.test import make_organisation, make_unit, make_user

STOCKHOLM = datetime.timezone(datetime.timedelta(hours=1))

CARRIED = "Felaktiga utbetalningar av försörjningsstöd"
CLOSED = "Bristande dokumentation av beslut"
NEW_IN_YEAR_2 = "Otillräcklig diarieföring"
ACTION = "Inför attest i två steg"
ACTIVITY = "Stickprov på utbetalningar"


def hidden_version(html: str) -> int:
    """The version the page's form was made from (the first form with one)."""
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found, "the page has no form carrying a version"
    return int(found.group(1))


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    IK_REMINDER_DAYS_BEFORE=[7],
    IK_REMINDER_DAYS_AFTER=[1],
    IK_REMINDER_DIGEST_WEEKDAY=6,
    IK_REMINDER_DIGEST_DAYS=14,
    IK_SITE_URL="https://ik.example.se",
)
class ThreeYearsTests(TestCase):
    """Socialnämnden in Exempelstad, 2025 to 2027, with its coordinator and a unit head."""

    organisation: Organisation
    periods: dict[str, Period]
    sn: Unit
    sf: Unit
    vux: Unit
    coordinator: User
    responsible: User

    @classmethod
    def setUpTestData(cls) -> None:
        org = cls.organisation = make_organisation("Exempelstad")
        org.periods.update(deadline_days=10)  # T1 by 10 May, T2 by 10 September, VB by 10 Jan
        cls.periods = {period.code: period for period in org.periods.all()}
        cls.sn = make_unit(org, "sn", "committee", name="Socialnämnden")
        cls.sf = make_unit(org, "sf", "administration", cls.sn, name="Socialförvaltningen")
        cls.vux = make_unit(org, "sf-vux", "unit", cls.sf, name="Vuxenenheten")
        cls.coordinator = make_user("samordnare", org, [(Role.COORDINATOR, cls.sn)])
        cls.responsible = make_user("enhetschef", org, [(Role.RESPONSIBLE, cls.vux)])
        for user, first, last in (
            (cls.coordinator, "Sara", "Samordnare"),
            (cls.responsible, "Erik", "Enhetschef"),
        ):
            User.objects.filter(pk=user.pk).update(
                first_name=first, last_name=last, email=f"{user.username}@exempelstad.se"
            )

    # --- helpers: a person at a moment -------------------------------------------------

    def at(self, day: datetime.date) -> Any:
        """Travel to noon (Swedish time) of the day."""
        moment = datetime.datetime.combine(day, datetime.time(12), tzinfo=STOCKHOLM)
        return time_machine.travel(moment, tick=False)

    def as_person(self, user: User) -> None:
        self.client.force_login(user)

    def get_ok(self, url: str, **params: Any) -> str:
        response = self.client.get(url, params)
        self.assertEqual(response.status_code, 200, url)
        return response.content.decode()

    def post_redirects(self, url: str, data: dict[str, Any]) -> str:
        response = self.client.post(url, data)
        if response.status_code != 302:
            text = re.sub(r"<[^>]+>", " ", response.content.decode())
            errors = [line.strip() for line in text.splitlines() if line.strip()]
            self.fail(f"POST {url} gave {response.status_code}: {errors[-60:]}")
        location: str = response["Location"]
        return location

    def plan_of(self, year: int) -> ControlPlan:
        return ControlPlan.objects.get(unit=self.sn, year=year)

    def risk(self, year: int, title: str) -> Risk:
        return Risk.objects.get(plan__unit=self.sn, plan__year=year, title=title)

    # --- the steps ---------------------------------------------------------------------

    def create_plan(self, year: int) -> ControlPlan:
        self.as_person(self.coordinator)
        page = self.get_ok(reverse("plans:create"))
        self.assertIn("Socialnämnden", page)
        location = self.post_redirects(
            reverse("plans:create"),
            {"unit": self.sn.pk, "year": year, "reference": f"SN-{year - 1}/12"},
        )
        plan = self.plan_of(year)
        self.assertEqual(location, reverse("plans:detail", args=[plan.pk]))
        page = self.get_ok(location)
        self.assertIn(f"Planen för {year} har skapats som utkast", page)
        return plan

    def add_risk(self, plan: ControlPlan, title: str, cell: str) -> Risk:
        self.as_person(self.coordinator)
        url = f"{reverse('risks:create')}?plan={plan.pk}"
        self.assertIn("Bedömning", self.get_ok(url))
        location = self.post_redirects(
            url,
            {
                "title": title,
                "unit": self.vux.pk,
                "area_name": "Ekonomi",
                "description": f"Beskrivning av {title.lower()}.",
                "cell": cell,
                "handling": ["mitigate", "review"],
            },
        )
        risk = Risk.objects.get(plan=plan, title=title)
        self.assertEqual(location, reverse("risks:detail", args=[risk.pk]))
        self.assertIn(title, self.get_ok(location))
        return risk

    def add_action(self, risk: Risk, due: datetime.date) -> Action:
        url = reverse("risks:action_create", args=[risk.pk])
        self.assertIn("Erik Enhetschef", self.get_ok(url))  # assignable
        self.post_redirects(
            url,
            {
                "title": ACTION,
                "responsible": "Enhetschef",
                "assignee": self.responsible.pk,
                "due_date": due.isoformat(),
                "status": "not_started",
            },
        )
        self.assertIn(ACTION, self.get_ok(reverse("risks:detail", args=[risk.pk])))
        return Action.objects.get(risk=risk, title=ACTION)

    def add_activity(self, risk: Risk) -> ControlActivity:
        url = reverse("controls:create", args=[risk.pk])
        self.get_ok(url)
        self.post_redirects(
            url,
            {
                "title": ACTIVITY,
                "method": "sample",
                "sample": "15 slumpvis valda utbetalningar per tertial",
                "responsible": "Enhetschef",
                "frequency": "per_period",
                "assignee": self.responsible.pk,
                "periods": [period.pk for period in self.periods.values()],
            },
        )
        self.assertIn(ACTIVITY, self.get_ok(reverse("risks:detail", args=[risk.pk])))
        return ControlActivity.objects.get(risk=risk, title=ACTIVITY)

    def adopt_and_start(self, plan: ControlPlan, day: datetime.date) -> None:
        self.as_person(self.coordinator)
        url = reverse("plans:detail", args=[plan.pk])
        page = self.get_ok(url)
        self.assertIn("Utkast, ännu inte fastställd", page)
        self.post_redirects(
            reverse("plans:adopt", args=[plan.pk]),
            {
                "adopted_on": day.isoformat(),
                "reference": f"SN-{plan.year - 1}/259",
                "version": hidden_version(page),
            },
        )
        page = self.get_ok(url, history="1")  # the page with its history, as without JavaScript
        self.assertIn('<span class="badge badge--adopted">Fastställd</span>', page)
        self.assertIn("fastställd", page)
        plan.refresh_from_db()
        self.post_redirects(
            reverse("plans:lifecycle", args=[plan.pk]),
            {"step": "follow_up", "version": plan.version},
        )
        self.assertIn("Planen har nu status: under uppföljning.", self.get_ok(url))

    def report_action(self, action: Action, period: str, status: str) -> None:
        self.as_person(self.responsible)
        url = reverse("followups:report_action", args=[action.pk])
        page = self.get_ok(url, period=self.periods[period].pk)
        self.post_redirects(
            url,
            {
                "version": hidden_version(page),
                "period": self.periods[period].pk,
                "date": datetime.date.today().isoformat(),
                "status": status,
                "on_track": "yes",
                "comment": f"Lägesrapport {period}: arbetet pågår enligt plan.",
            },
        )

    def report_activity(self, activity: ControlActivity, period: str) -> None:
        self.as_person(self.responsible)
        url = reverse("followups:report_control_activity", args=[activity.pk])
        page = self.get_ok(url, period=self.periods[period].pk)
        self.post_redirects(
            url,
            {
                "version": hidden_version(page),
                "period": self.periods[period].pk,
                "date": datetime.date.today().isoformat(),
                "result": "no_remarks",
                "comment": f"Stickprov {period}: 15 utbetalningar granskade utan anmärkning.",
            },
        )

    def remind_and_show_board(
        self, plan: ControlPlan, action: Action, activity: ControlActivity
    ) -> None:
        """T1: the action is reported, the activity is not; the day after the deadline the
        responsible person is reminded and the board lists the activity as not reported."""
        year = plan.year
        with self.at(datetime.date(year, 4, 28)):
            self.report_action(action, "T1", "in_progress")
            self.as_person(self.responsible)
            self.assertIn(ACTIVITY, self.get_ok(reverse("followups:mine")))
        mail.outbox.clear()
        deadline = self.periods["T1"].deadline(year)
        day_after = (deadline + datetime.timedelta(days=1)).isoformat()
        with self.at(deadline + datetime.timedelta(days=1)):
            call_command("send_reminders", "--today", day_after, stdout=io.StringIO())
            call_command("send_reminders", "--today", day_after, stdout=io.StringIO())
        to_responsible = [m for m in mail.outbox if m.to == ["enhetschef@exempelstad.se"]]
        self.assertEqual(len(to_responsible), 1, [m.subject for m in mail.outbox])
        reminder = to_responsible[0]
        self.assertIn(ACTIVITY, reminder.body)
        self.assertNotIn(ACTION, reminder.body)
        self.assertIn(
            "https://ik.example.se"
            + reverse("followups:report_control_activity", args=[activity.pk]),
            reminder.body,
        )
        with self.at(deadline + datetime.timedelta(days=1)):
            self.as_person(self.coordinator)
            board = self.get_ok(
                reverse("followups:board"),
                plan=plan.pk,
                period=self.periods["T1"].pk,
                show="missing",
            )
            self.assertIn(ACTIVITY, board)
            self.assertIn("Erik Enhetschef", board)
            self.assertIn("Ej rapporterad, sista dag passerad", board)
            self.assertNotIn(ACTION, board)
            self.assertRegex(board, r"<strong>1</strong> av 2 rapporterade")
            # The unit head reports late; the board then has nothing missing.
            self.report_activity(activity, "T1")
            self.as_person(self.coordinator)
            board = self.get_ok(
                reverse("followups:board"),
                plan=plan.pk,
                period=self.periods["T1"].pk,
                show="missing",
            )
            self.assertNotIn(ACTIVITY, board)
            self.assertRegex(board, r"<strong>2</strong> av 2 rapporterade")

    def follow_up_rest_of_year(
        self, plan: ControlPlan, action: Action, activity: ControlActivity
    ) -> None:
        year = plan.year
        with self.at(datetime.date(year, 8, 25)):
            self.report_action(action, "T2", "in_progress")
            self.report_activity(activity, "T2")
        with self.at(datetime.date(year, 12, 20)):
            self.report_action(action, "VB", "in_progress")
            self.report_activity(activity, "VB")
            self.as_person(self.coordinator)
            board = self.get_ok(
                reverse("followups:board"), plan=plan.pk, period=self.periods["VB"].pk
            )
            self.assertRegex(board, r"<strong>2</strong> av 2 rapporterade")

    def record_assessment(self, plan: ControlPlan, day: datetime.date) -> None:
        url = reverse("plans:assessment", args=[plan.pk])
        page = self.get_ok(url)
        data = {
            "verdict": "sufficient",
            "decided_on": day.isoformat(),
            "analysis": f"Den interna kontrollen {plan.year} har varit tillräcklig.",
        }
        if 'name="version"' in page:
            data["version"] = str(hidden_version(page))
        self.post_redirects(url, data)

    def assess_and_close(self, plan: ControlPlan, day: datetime.date) -> None:
        with self.at(day):
            self.as_person(self.coordinator)
            self.record_assessment(plan, day)
            detail = reverse("plans:detail", args=[plan.pk])
            self.assertIn(
                f"Den interna kontrollen {plan.year} har varit tillräcklig.", self.get_ok(detail)
            )
            plan.refresh_from_db()
            self.post_redirects(
                reverse("plans:lifecycle", args=[plan.pk]),
                {"step": "close", "version": plan.version},
            )
            self.assertIn("Planen har nu status: avslutad.", self.get_ok(detail))

    def roll_over(self, plan: ControlPlan, closing: Risk | None) -> ControlPlan:
        """Carry every risk of the plan to next year, except `closing`, closed with a reason."""
        self.as_person(self.coordinator)
        url = reverse("plans:rollover", args=[plan.pk])
        page = self.get_ok(url)
        risks = list(Risk.objects.filter(plan=plan))
        for risk in risks:
            self.assertIn(risk.title, page)
        data: dict[str, Any] = {}
        for risk in risks:
            data[f"decision-{risk.pk}"] = "close" if risk == closing else "carry"
            data[f"reason-{risk.pk}"] = ""
            data[f"into-{risk.pk}"] = ""
        if closing is not None:
            refused = self.client.post(url, data)
            self.assertEqual(refused.status_code, 422)
            self.assertIn("Ange varför risken", refused.content.decode())
            self.assertFalse(ControlPlan.objects.filter(unit=self.sn, year=plan.year + 1).exists())
            data[f"reason-{closing.pk}"] = "Ny rutin med digitala beslut infördes under året."
        location = self.post_redirects(url, data)
        following = self.plan_of(plan.year + 1)
        self.assertEqual(location, reverse("plans:detail", args=[following.pk]))
        page = self.get_ok(location)
        self.assertIn(f"Överföring till {following.year}", page)
        # Sending the same decisions again copies nothing twice.
        self.assertIn("0 risker att besluta", self.get_ok(url))
        self.post_redirects(url, data)
        self.assertEqual(
            Risk.objects.filter(plan=following).count(),
            len(risks) - (1 if closing is not None else 0),
        )
        self.assertEqual(Action.objects.filter(risk__plan=following).count(), 1)
        self.assertEqual(ControlActivity.objects.filter(risk__plan=following).count(), 1)
        return following

    def carried_items(self, plan: ControlPlan) -> tuple[Action, ControlActivity]:
        """The carried risk's action and activity in the new plan, and its link to last year."""
        risk = self.risk(plan.year, CARRIED)
        page = self.get_ok(reverse("risks:detail", args=[risk.pk]))
        previous = self.risk(plan.year - 1, CARRIED)
        self.assertIn(reverse("risks:detail", args=[previous.pk]), page)
        self.assertIn(f"Risken {plan.year - 1}", page)
        self.assertIn("förd över", page)
        action = Action.objects.get(risk=risk, title=ACTION)
        self.assertEqual(action.previous, Action.objects.get(risk=previous, title=ACTION))
        # The carried action keeps last year's due date; the coordinator plans it anew, to
        # this year's end.
        url = reverse("risks:action_edit", args=[action.pk])
        page = self.get_ok(url)
        self.assertIn(f"{plan.year - 1}-12-31", page)
        self.post_redirects(
            url,
            {
                "title": ACTION,
                "responsible": "Enhetschef",
                "assignee": self.responsible.pk,
                "due_date": f"{plan.year}-12-31",
                "status": "in_progress",
                "version": hidden_version(page),
            },
        )
        action.refresh_from_db()
        return action, ControlActivity.objects.get(risk=risk, title=ACTIVITY)

    # --- the scenario ------------------------------------------------------------------

    def test_three_years_from_first_risk_analysis_to_third_assessment(self) -> None:
        # Year 1: the first risk analysis, adoption and follow-up.
        with self.at(datetime.date(2025, 1, 8)):
            plan_1 = self.create_plan(2025)
            carried = self.add_risk(plan_1, CARRIED, "3-3")
            closing = self.add_risk(plan_1, CLOSED, "2-2")
            action = self.add_action(carried, datetime.date(2025, 12, 31))
            activity = self.add_activity(carried)
            self.adopt_and_start(plan_1, datetime.date(2025, 1, 8))
        self.remind_and_show_board(plan_1, action, activity)
        self.follow_up_rest_of_year(plan_1, action, activity)

        # Year 2: rollover in November, carrying one risk and closing the other.
        with self.at(datetime.date(2025, 11, 20)):
            plan_2 = self.roll_over(plan_1, closing)
            action, activity = self.carried_items(plan_2)
            self.add_risk(plan_2, NEW_IN_YEAR_2, "2-3")
        with self.at(datetime.date(2026, 1, 12)):
            self.adopt_and_start(plan_2, datetime.date(2026, 1, 12))
        self.assess_and_close(plan_1, datetime.date(2026, 2, 10))
        self.remind_and_show_board(plan_2, action, activity)
        self.follow_up_rest_of_year(plan_2, action, activity)

        # Year 3: everything carried on.
        with self.at(datetime.date(2026, 11, 20)):
            plan_3 = self.roll_over(plan_2, None)
            action, activity = self.carried_items(plan_3)
            self.as_person(self.coordinator)
            closed_risk = self.risk(2025, CLOSED)
            self.assertFalse(Risk.objects.filter(plan=plan_3, title=CLOSED).exists())
            self.assertIn(CLOSED, self.get_ok(reverse("risks:detail", args=[closed_risk.pk])))
        with self.at(datetime.date(2027, 1, 11)):
            self.adopt_and_start(plan_3, datetime.date(2027, 1, 11))
        self.assess_and_close(plan_2, datetime.date(2027, 2, 9))
        self.remind_and_show_board(plan_3, action, activity)
        self.follow_up_rest_of_year(plan_3, action, activity)

        # The third year's annual follow-up report names the risk carried since 2025.
        with self.at(datetime.date(2028, 1, 20)):
            self.as_person(self.coordinator)
            report = self.get_ok(
                reverse("reports:report", args=["follow-up", plan_3.pk]),
                format="html",
                period="VB",
                now="1",
            )
            self.assertIn(CARRIED, report)
            self.assertIn(NEW_IN_YEAR_2, report)
            self.assertNotIn(CLOSED, report)
        # And the third year's annual assessment, the end of the scenario.
        with self.at(datetime.date(2028, 2, 8)):
            self.as_person(self.coordinator)
            self.record_assessment(plan_3, datetime.date(2028, 2, 8))
            page = self.get_ok(reverse("plans:detail", args=[plan_3.pk]))
            self.assertIn("Den interna kontrollen 2027 har varit tillräcklig.", page)
            self.assertIn("tillräcklig", page)
        # Three plans, none made or changed in the admin: each has its own year and state.
        statuses = {p.year: p.status for p in ControlPlan.objects.filter(unit=self.sn)}
        self.assertEqual(statuses, {2025: "closed", 2026: "closed", 2027: "follow_up"})

"""`ik send_reminders` over a simulated year: exactly the expected mails, to the expected people."""

import datetime
import io
from collections.abc import Callable

import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from internkontroll.accounts.models import Role, User
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.reminders.models import SentReminder
from internkontroll.risks.models import Action
from internkontroll.test import BaseTestCase, make_risk, make_user

REMINDERS = override_settings(
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    IK_REMINDER_DAYS_BEFORE=[7, 1],
    IK_REMINDER_DAYS_AFTER=[1],
    IK_REMINDER_DIGEST_WEEKDAY=0,
    IK_REMINDER_DIGEST_DAYS=14,
    IK_SITE_URL="https://ik.example.se",
)


def days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


@REMINDERS
class ReminderYearTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        org = cls.organisation
        org.periods.update(deadline_days=10)  # T1 by 10 May, T2 by 10 September
        cls.t1, cls.t2 = org.periods.get(code="T1"), org.periods.get(code="T2")
        for user, email in (
            (cls.responsible, "ansvarig@exempelstad.se"),
            (cls.coordinator, "samordnare@exempelstad.se"),
            (cls.reader, "lasare@exempelstad.se"),
        ):
            User.objects.filter(pk=user.pk).update(email=email, first_name="", last_name="")
        Action.objects.filter(pk=cls.sn_action.pk).update(assignee=cls.responsible)
        ControlActivity.objects.filter(pk=cls.sn_activity.pk).update(assignee=cls.responsible)
        cls.sn_activity.periods.set([cls.t2])
        # Nobody is assigned the committee's own action: only the digest names it.
        committee_risk = make_risk(cls.sn_plan, "r-2", title="Bristande diarieföring")
        Action.objects.create(
            risk=committee_risk, external_id="a-9", title="Ny rutin för diarieföring"
        )
        # Someone who turned reminders off, and someone assigned without access.
        cls.quiet = make_user("tyst", org, [(Role.RESPONSIBLE, cls.sf_vux)])
        User.objects.filter(pk=cls.quiet.pk).update(
            email="tyst@exempelstad.se", receives_reminders=False
        )
        Action.objects.create(
            risk=cls.sn_risk, external_id="a-7", title="Tyst åtgärd", assignee=cls.quiet
        )
        User.objects.filter(pk=cls.outsider.pk).update(email="granne@grannkommun.se")
        Action.objects.create(
            risk=cls.sn_risk, external_id="a-8", title="Fel tilldelad", assignee=cls.outsider
        )
        # A coordinator of the administration, below the committee.
        cls.below = make_user("forvaltning", org, [(Role.COORDINATOR, cls.sf)])
        User.objects.filter(pk=cls.below.pk).update(email="forvaltning@exempelstad.se")
        # The committee without an adopted plan gets nothing.
        Action.objects.create(
            risk=cls.bn_risk, external_id="b-1", title="Ej fastställd", assignee=cls.responsible
        )

    def report(self, **values: object) -> None:
        FollowUp.objects.create(comment="Klart.", **values)

    def simulate(self) -> list[tuple[str, str, str]]:
        """Each day of 2025: the command runs twice, then that day's reports are written."""
        events: dict[datetime.date, Callable[[], None]] = {
            datetime.date(2025, 5, 5): lambda: self.report(
                action=self.sn_action, period=self.t1, date="2025-05-05", status="in_progress"
            ),
            datetime.date(2025, 9, 10): lambda: self.report(
                action=self.sn_action, period=self.t2, date="2025-09-10", status="in_progress"
            ),
            datetime.date(2025, 9, 12): lambda: self.report(
                control_activity=self.sn_activity,
                period=self.t2,
                date="2025-09-12",
                result="no_remarks",
            ),
        }
        sent = []
        for day in days(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)):
            with time_machine.travel(day, tick=False):
                for _run in range(2):
                    mail.outbox.clear()
                    call_command("send_reminders", stdout=io.StringIO())
                    sent += [(f"{day:%m-%d}", m.to[0].split("@")[0], m.body) for m in mail.outbox]
            if day in events:
                events[day]()
        return sent

    def test_a_year_sends_exactly_the_expected_mails_never_twice(self) -> None:
        sent = self.simulate()
        # The administration's coordinator also sees the items of people who get no mail.
        assert [(day, who) for day, who, _body in sent] == [
            ("05-03", "ansvarig"),  # T1 in 7 days
            ("05-05", "samordnare"),  # Monday summaries while T1 is missing
            ("05-05", "forvaltning"),
            ("05-12", "samordnare"),
            ("05-12", "forvaltning"),
            ("05-19", "samordnare"),
            ("05-19", "forvaltning"),
            ("09-01", "samordnare"),
            ("09-01", "forvaltning"),
            ("09-03", "ansvarig"),  # T2 in 7 days
            ("09-08", "samordnare"),
            ("09-08", "forvaltning"),
            ("09-09", "ansvarig"),  # T2 tomorrow
            ("09-11", "ansvarig"),  # T2 passed: only the activity is still missing
            ("09-15", "samordnare"),
            ("09-15", "forvaltning"),
            ("09-22", "samordnare"),
            ("09-22", "forvaltning"),
        ]
        body = dict(((day, who), body) for day, who, body in sent)
        assert "Inför attest i två steg" in body[("05-03", "ansvarig")]
        assert "Stickprov på utbetalningar" not in body[("05-03", "ansvarig")]
        assert "Stickprov på utbetalningar" in body[("09-03", "ansvarig")]
        assert "Inför attest i två steg" not in body[("09-11", "ansvarig")]
        assert "Sista rapporteringsdag har passerat" in body[("09-11", "ansvarig")]
        assert "Ny rutin för diarieföring" in body[("05-12", "samordnare")]
        assert "Ny rutin för diarieföring" not in body[("05-05", "forvaltning")]
        assert "Tyst åtgärd – tyst" in body[("05-12", "forvaltning")]
        assert "Inför attest i två steg" not in body[("05-12", "forvaltning")]
        assert "Ej fastställd" not in "".join(b for _d, _w, b in sent)
        assert SentReminder.objects.filter(user=self.responsible).count() == 6

    def test_a_reminder_is_in_swedish_in_text_and_html_with_a_link_to_the_form(self) -> None:
        with time_machine.travel(datetime.date(2025, 9, 3), tick=False):
            call_command("send_reminders", stdout=io.StringIO())
        (message,) = mail.outbox
        assert message.to == ["ansvarig@exempelstad.se"]
        assert message.subject == (
            "Internkontroll: 2 uppföljningar att rapportera senast 2025-09-10"
        )
        link = "https://ik.example.se" + reverse(
            "followups:report_control_activity", args=[self.sn_activity.pk]
        )
        assert f"{link}?period={self.t2.pk}" in message.body
        assert "Rapportera för Tertialrapport 2 senast 2025-09-10" in message.body
        html, kind = message.alternatives[0]
        assert kind == "text/html"
        assert f'href="{link}?period={self.t2.pk}"' in html
        assert "Stäng av påminnelser" in html
        assert "https://ik.example.se" + reverse("reminders:preferences") in message.body

    def test_the_digest_links_to_the_board_filtered_on_what_is_missing(self) -> None:
        with time_machine.travel(datetime.date(2025, 9, 1), tick=False):
            call_command("send_reminders", stdout=io.StringIO())
        digest = next(m for m in mail.outbox if m.to == ["samordnare@exempelstad.se"])
        assert digest.subject == "Internkontroll: uppföljningar som saknas i dina nämnder"
        assert (
            "Socialnämnden 2025, Tertialrapport 2: 5 av 5 inte rapporterade (sista dag 2025-09-10)"
            in digest.body
        )
        assert f"plan={self.sn_plan.pk}&period={self.t2.pk}&show=missing" in digest.body

    def test_a_dry_run_lists_the_mails_and_sends_nothing(self) -> None:
        out = io.StringIO()
        call_command("send_reminders", "--today", "2025-09-03", "--dry-run", stdout=out)
        assert mail.outbox == []
        assert not SentReminder.objects.exists()
        assert "Skulle skicka till ansvarig@exempelstad.se" in out.getvalue()
        call_command("send_reminders", "--today", "2025-09-03", stdout=out)
        assert len(mail.outbox) == 1
        assert "Skickade 1 e-postmeddelande för 2025-09-03." in out.getvalue()

    def test_a_person_who_turned_reminders_off_gets_none(self) -> None:
        User.objects.filter(pk=self.responsible.pk).update(receives_reminders=False)
        call_command("send_reminders", "--today", "2025-09-03", stdout=io.StringIO())
        assert mail.outbox == []

    def test_a_bad_date_is_refused_with_a_clear_message(self) -> None:
        from django.core.management import CommandError

        with self.assertRaisesMessage(CommandError, "--today must be a date"):
            call_command("send_reminders", "--today", "3 september", stdout=io.StringIO())

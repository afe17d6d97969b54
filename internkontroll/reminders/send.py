"""The day's reminders: what to send to whom, and sending it once.

A responsible person is reminded of the items of adopted plans they have not reported for a
period, on the configured days before its deadline and after it. A coordinator gets, on one
weekday, a summary of what is missing in the committees they coordinate, for periods that
have ended and whose deadline is at most IK_REMINDER_DIGEST_DAYS ago. Each item a person is
told about is logged with the day; what is logged is not told again that day.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from internkontroll.accounts.models import Role, User
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.due import Duty, duties, has_started, periods_by_organisation
from internkontroll.organisation.models import Period
from internkontroll.reminders.models import Kind, SentReminder
from internkontroll.risks.models import Action

DIGEST = "digest"


@dataclass
class Mail:
    """One e-mail to one person, and the log rows that record it."""

    user: Any
    subject: str
    text: str
    html: str
    logged: list[tuple[str, str]] = field(default_factory=list)  # (item, kind)


@dataclass
class Reminder:
    duty: Duty
    kind: str

    @property
    def url(self) -> str:
        return settings.IK_SITE_URL + self.duty.report_url


@dataclass
class CommitteeMissing:
    """For a digest: one committee's plan and period, and what is missing in it."""

    plan: Any
    period: Period
    missing: list[Duty]
    total: int

    @property
    def deadline(self) -> datetime.date:
        return self.period.deadline(self.plan.year)

    @property
    def url(self) -> str:
        query = urlencode({"plan": self.plan.pk, "period": self.period.pk, "show": "missing"})
        return f"{settings.IK_SITE_URL}{reverse('followups:board')}?{query}"


def _recipients() -> Q:
    return Q(is_active=True, receives_reminders=True) & ~Q(email="")


def _items(model: Any, organisation_id: int, year: int) -> QuerySet[Any]:
    return model.objects.filter(
        risk__plan__unit__organisation_id=organisation_id,
        risk__plan__year=year,
        risk__plan__adopted_on__isnull=False,
    )


def _windows(today: datetime.date) -> list[tuple[Period, list[Period], int, str]]:
    """The periods (of this year and last) a reminder is due for today, and which kind."""
    before = set(settings.IK_REMINDER_DAYS_BEFORE)
    after = set(settings.IK_REMINDER_DAYS_AFTER)
    organisations = Period.objects.values_list("organisation_id", flat=True).distinct()
    found: list[tuple[Period, list[Period], int, str]] = []
    for periods in periods_by_organisation(organisations).values():
        for period in periods:
            for year in (today.year - 1, today.year):
                days = (period.deadline(year) - today).days
                if days in before and has_started(periods, period, year, today):
                    found.append((period, periods, year, Kind.BEFORE))
                elif -days in after:
                    found.append((period, periods, year, Kind.PASSED))
    return found


def _reportable(user: Any, reminders: list[Reminder]) -> list[Reminder]:
    """Only items the person may still report on (their role may have changed)."""
    allowed: set[tuple[str, int]] = set()
    for kind, model in (("action", Action), ("control_activity", ControlActivity)):
        ids = [r.duty.item.pk for r in reminders if r.duty.kind == kind]
        if ids:
            allowed |= {
                (kind, pk)
                for pk in model.objects.reportable_by(user)
                .filter(pk__in=ids)
                .values_list("pk", flat=True)
            }
    return [r for r in reminders if (r.duty.kind, r.duty.item.pk) in allowed]


def responsible_mails(today: datetime.date, logged: set[tuple[int, str]]) -> list[Mail]:
    """A mail to each responsible person with unreported items due a reminder today."""
    by_user: dict[int, list[Reminder]] = defaultdict(list)
    users: dict[int, Any] = {}
    for period, periods, year, kind in _windows(today):
        assigned = Q(assignee__isnull=False) & Q(
            assignee__in=User.objects.filter(_recipients()).values("pk")
        )
        found = duties(
            _items(Action, period.organisation_id, year).filter(assigned),
            _items(ControlActivity, period.organisation_id, year).filter(assigned),
            period,
            periods,
            today,
        )
        for duty in found:
            user = duty.item.assignee
            if not duty.reported and (user.pk, duty.key) not in logged:
                users[user.pk] = user
                by_user[user.pk].append(Reminder(duty, kind))
    mails = []
    for pk, reminders in by_user.items():
        reminders = _reportable(users[pk], reminders)
        if reminders:
            mails.append(_reminder_mail(users[pk], reminders))
    return mails


def _reminder_mail(user: Any, reminders: list[Reminder]) -> Mail:
    reminders.sort(key=lambda r: (r.duty.deadline, r.duty.item.risk.plan.unit.name, r.duty.key))
    passed = [r for r in reminders if r.kind == Kind.PASSED]
    coming = [r for r in reminders if r.kind == Kind.BEFORE]
    context = {"user": user, "passed": passed, "coming": coming, **_footer()}
    if passed:
        subject = _("Internkontroll: the deadline has passed for %(count)s follow-ups") % {
            "count": len(reminders)
        }
    else:
        subject = _("Internkontroll: %(count)s follow-ups to report by %(date)s") % {
            "count": len(reminders),
            "date": f"{coming[0].duty.deadline:%Y-%m-%d}",
        }
    return Mail(
        user=user,
        subject=subject,
        text=render_to_string("reminders/reminder.txt", context),
        html=render_to_string("reminders/reminder.html", context),
        logged=[(r.duty.key, r.kind) for r in reminders],
    )


def _footer() -> dict[str, str]:
    return {
        "preferences_url": settings.IK_SITE_URL + reverse("reminders:preferences"),
        "mine_url": settings.IK_SITE_URL + reverse("followups:mine"),
    }


def _digest_windows(today: datetime.date, organisation_id: int) -> list[tuple[Period, int]]:
    periods = periods_by_organisation([organisation_id])[organisation_id]
    grace = datetime.timedelta(days=settings.IK_REMINDER_DIGEST_DAYS)
    return [
        (period, year)
        for period in periods
        for year in (today.year - 1, today.year)
        if period.end_date(year) < today <= period.deadline(year) + grace
    ]


def coordinator_mails(today: datetime.date, logged: set[tuple[int, str]]) -> list[Mail]:
    """On the digest weekday, each coordinator's summary of what is missing in their plans."""
    if today.weekday() != settings.IK_REMINDER_DIGEST_WEEKDAY:
        return []
    coordinators = (
        User.objects.filter(_recipients(), role_assignments__role=Role.COORDINATOR)
        .exclude(organisation=None)
        .distinct()
        .order_by("pk")
    )
    mails = []
    for user in coordinators:
        if (user.pk, DIGEST) in logged:
            continue
        groups = _missing_for(user, today)
        if groups:
            context = {"user": user, "groups": groups, **_footer()}
            mails.append(
                Mail(
                    user=user,
                    subject=_("Internkontroll: follow-ups missing in your committees"),
                    text=render_to_string("reminders/digest.txt", context),
                    html=render_to_string("reminders/digest.html", context),
                    logged=[(DIGEST, Kind.DIGEST)],
                )
            )
    return mails


def _missing_for(user: Any, today: datetime.date) -> list[CommitteeMissing]:
    organisation_id = user.organisation_id
    periods = periods_by_organisation([organisation_id])[organisation_id]
    groups = []
    for period, year in _digest_windows(today, organisation_id):
        found = duties(
            _items(Action, organisation_id, year).filter(
                pk__in=Action.objects.for_user(user, write=True).values("pk")
            ),
            _items(ControlActivity, organisation_id, year).filter(
                pk__in=ControlActivity.objects.for_user(user, write=True).values("pk")
            ),
            period,
            periods,
            today,
        )
        by_plan: dict[int, list[Duty]] = defaultdict(list)
        for duty in found:
            by_plan[duty.item.risk.plan_id].append(duty)
        for plan_duties in by_plan.values():
            missing = [duty for duty in plan_duties if not duty.reported]
            if missing:
                plan = missing[0].item.risk.plan
                groups.append(CommitteeMissing(plan, period, missing, len(plan_duties)))
    groups.sort(key=lambda g: (g.plan.year, g.period.position, g.plan.unit.name))
    return groups


def due_mails(today: datetime.date) -> list[Mail]:
    """Every mail due today that has not been sent yet."""
    logged = set(SentReminder.objects.filter(day=today).values_list("user_id", "item"))
    with translation.override(settings.LANGUAGE_CODE):
        return responsible_mails(today, logged) + coordinator_mails(today, logged)


def send_reminders(today: datetime.date, *, dry_run: bool = False) -> list[Mail]:
    """Send the day's mails, each logged in the same transaction; a dry run only lists them."""
    mails = due_mails(today)
    if dry_run:
        return mails
    sent = []
    connection = get_connection()
    for mail in mails:
        message = EmailMultiAlternatives(
            mail.subject, mail.text, None, [mail.user.email], connection=connection
        )
        message.attach_alternative(mail.html, "text/html")
        try:
            with transaction.atomic():
                SentReminder.objects.bulk_create(
                    SentReminder(user=mail.user, day=today, item=item, kind=kind)
                    for item, kind in mail.logged
                )
                message.send()
        except IntegrityError:
            continue  # another run sent it at the same moment
        sent.append(mail)
    return sent

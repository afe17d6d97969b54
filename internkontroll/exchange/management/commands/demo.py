import calendar
import datetime
import re
from importlib.resources import files
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from internkontroll.accounts.models import Role, RoleAssignment, User
from internkontroll.controls.actions import save_control_activity
from internkontroll.controls.models import ControlActivity
from internkontroll.exchange.importer import ImportFailed, import_document, parse_document
from internkontroll.lib.versioning import ANY_VERSION, save_versioned
from internkontroll.organisation.models import Organisation, Unit
from internkontroll.plans.models import AdoptedVersion, ControlPlan
from internkontroll.plans.rollover import Choice, next_plan, roll_over
from internkontroll.plans.versions import record_version
from internkontroll.risks.models import OPEN_PROGRESS, Action, RolloverDecision

DEMO_PASSWORD = "demo-internkontroll"  # noqa: S105 - printed for the demo, never used in production

# (username, first name, last name, role, unit id or None for the whole organisation)
DEMO_USERS = [
    ("admin", "Alva", "Systemsson", Role.ADMIN, None),
    ("samordnare", "Sara", "Lind", Role.COORDINATOR, "sn"),
    ("ansvarig", "Erik", "Holm", Role.RESPONSIBLE, "sf-ifo"),
    ("lasare", "Leila", "Berg", Role.READER, None),
    ("revisor", "Rut", "Granlund", Role.AUDITOR, None),
]


# demo.json tells the story as seen at the end of September of this year: last year complete,
# this year followed up in T1 and T2. The demo moves it to today's year and cuts what lies ahead.
STORY_YEAR = 2026
DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
YEAR = re.compile(r"(?<!\d)(20[0-4]\d)(?!\d)")
FOLLOWED_UP = ("actions", "control_activities", "recommendations")
# A plan's lifecycle in the story: each adopted plan's follow-up starts in January of its year,
# and last year's plans are closed in March, once the committees have assessed them.
LIFECYCLE = ("follow_up_started", "closed")
# From October the committees analyse next year's risks, and most adopt next year's plan in
# December or early in the new year: the demo then has next year's plans as drafts, made by the
# rollover as a coordinator makes them.
NEXT_YEAR_FROM_MONTH = 10
# Why the demo's coordinator closes the lowest risk with no open action instead of carrying it.
CLOSED_REASON = (
    "Risken bedöms som låg och följs fortsättningsvis inom den ordinarie verksamhetsuppföljningen."
)


def shift_date(value: str, years: int) -> str:
    year, month, day = (int(part) for part in value.split("-"))
    year += years
    day = min(day, calendar.monthrange(year, month)[1])  # 29 February in a common year
    return datetime.date(year, month, day).isoformat()


def shifted(value: Any, years: int) -> Any:
    """The document with every date, year and year in a text or identifier moved by `years`."""
    if isinstance(value, dict):
        return {
            key: (item + years if key == "year" and isinstance(item, int) else shifted(item, years))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [shifted(item, years) for item in value]
    if isinstance(value, str):
        if DATE.match(value):
            return shift_date(value, years)
        return YEAR.sub(lambda match: str(int(match.group(1)) + years), value)
    return value


def as_of(document: dict[str, Any], today: datetime.date) -> dict[str, Any]:
    """The document as it stood on `today`: nothing decided, reported or audited after it."""
    day = today.isoformat()
    document["audit_reports"] = [
        report for report in document.get("audit_reports", []) if report.get("date", "") <= day
    ]
    for plan in document.get("plans", []):
        if plan.get("assessment", {}).get("decided_on", "") > day:
            del plan["assessment"]
        # A step of the plan's lifecycle after the day has not been taken, nor those after it.
        for step in LIFECYCLE:
            if plan.get(f"{step}_at", "")[:10] > day:
                for later in LIFECYCLE[LIFECYCLE.index(step) :]:
                    plan.pop(f"{later}_at", None)
                    plan.pop(f"{later}_by", None)
        for risk in plan.get("risks", []):
            _cut_follow_ups(risk, day)
            for kind in FOLLOWED_UP:
                for item in risk.get(kind, []):
                    _cut_follow_ups(item, day)
    for report in document["audit_reports"]:
        for recommendation in report.get("recommendations", []):
            _cut_follow_ups(recommendation, day)
    return document


def _cut_follow_ups(item: dict[str, Any], day: str) -> None:
    """Drop the follow-ups after `day`; a status then is the one the last follow-up left."""
    follow_ups = item.get("follow_ups", [])
    kept = [follow_up for follow_up in follow_ups if follow_up["date"] <= day]
    if len(kept) == len(follow_ups):
        return
    item["follow_ups"] = kept
    if "status" in item:
        latest = max(kept, key=lambda follow_up: follow_up["date"], default=None)
        item["status"] = (latest or {}).get("status", "not_started")


def adoption_recorded_at(plan: ControlPlan) -> datetime.datetime:
    """When the coordinator recorded the plan's adoption: at nine on the first working day
    after the committee's meeting, and in any case before the follow-up began and not later
    than now."""
    assert plan.adopted_on is not None  # noqa: S101 - only adopted plans are recorded
    day = plan.adopted_on + datetime.timedelta(days=1)
    while day.weekday() >= calendar.SATURDAY:
        day += datetime.timedelta(days=1)
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    if plan.follow_up_started_at is not None:
        moment = min(moment, plan.follow_up_started_at - datetime.timedelta(hours=1))
    return min(moment, timezone.now())


def demo_document(text: str, today: datetime.date) -> Any:
    document = parse_document(text)
    return as_of(shifted(document, today.year - STORY_YEAR), today)


class Command(BaseCommand):
    help = "Build the demo municipality Exempelkommun through the importer, with a login per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins.")

    def handle(self, *args: Any, **options: Any) -> None:
        text = files("internkontroll.exchange").joinpath("data/demo.json").read_text("utf-8")
        with transaction.atomic():
            importer_user = self._user("admin", "Alva", "Systemsson", None)
            try:
                document = demo_document(text, timezone.localdate())
                summary = import_document(document, acting_user=importer_user)
            except ImportFailed as failure:
                raise CommandError("\n".join(str(p) for p in failure.problems)) from None
            organisation = Organisation.objects.get(name=summary.organisation)
            for username, first_name, last_name, role, unit_id in DEMO_USERS:
                user = self._user(username, first_name, last_name, organisation)
                unit = (
                    Unit.objects.get(organisation=organisation, external_id=unit_id)
                    if unit_id
                    else None
                )
                RoleAssignment.objects.get_or_create(
                    user=user, organisation=organisation, unit=unit, role=role
                )
            self._assign_items(organisation, importer_user)
            self._adopted_versions(organisation)
            self._next_years_drafts(organisation, timezone.localdate())
        self.stdout.write(
            _(
                "The demo municipality %(name)s is ready: %(created)s objects created, "
                "%(updated)s updated."
            )
            % {
                "name": summary.organisation,
                "created": summary.created.total(),
                "updated": summary.updated.total(),
            }
        )
        if not options["quiet_logins"]:
            self.stdout.write(
                _("Logins (password for all: %(password)s):") % {"password": DEMO_PASSWORD}
            )
            for username, _first, _last, role, unit_id in DEMO_USERS:
                where = unit_id or _("whole organisation")
                self.stdout.write(f"  {username:<12} {Role(role).label} ({where})")

    def _assign_items(self, organisation: Organisation, acting_user: User) -> None:
        """Give the responsible demo user the items of the department they manage."""
        responsible = User.objects.get(username="ansvarig")
        department = Unit.objects.get(organisation=organisation, external_id="sf-ifo")
        units = [department, *department.children.all()]
        # A closed plan takes no change: its items stay as the committee left them.
        open_items = {
            "risk__unit__in": units,
            "assignee__isnull": True,
            "risk__plan__closed_at__isnull": True,
        }
        items: list[Action | ControlActivity] = [
            *Action.objects.filter(**open_items),
            *ControlActivity.objects.filter(**open_items),
        ]
        for item in items:
            values = {"assignee": responsible}
            save_versioned(item, values, version=ANY_VERSION, acting_user=acting_user)

    def _adopted_versions(self, organisation: Organisation) -> None:
        """Freeze every adopted plan as adopted, then change one plan so the page has changes.

        Only on the first run: the change is a control activity the document does not hold, so
        a second run (which re-imports the document) leaves it and the versions alone.
        """
        coordinator = User.objects.get(username="samordnare")
        plans = ControlPlan.objects.filter(
            unit__organisation=organisation, adopted_on__isnull=False
        )
        if AdoptedVersion.objects.filter(plan__in=plans).exists():
            return
        for plan in plans.select_related("unit", "risk_matrix"):
            assert plan.adopted_on is not None  # noqa: S101 - filtered above
            record_version(
                plan,
                kind="plan",
                decided_on=plan.adopted_on,
                reference=plan.reference,
                acting_user=coordinator,
                recorded_at=adoption_recorded_at(plan),
            )
        newest = plans.filter(unit__external_id="sn").order_by("-year").first()
        risk = newest.risks.filter(handling__icontains="review").first() if newest else None
        if risk is not None:
            save_control_activity(
                ControlActivity(risk=risk),
                {
                    "title": "Extra stickprov på beslut fattade under hösten",
                    "description": (
                        "Lagt till efter att planen fastställdes, "
                        "på förvaltningsledningens begäran."
                    ),
                    "method": ControlActivity.Method.SAMPLE,
                    "sample": "10 beslut från september–oktober",
                    "responsible": "Controller",
                    "frequency": ControlActivity.Frequency.ONCE,
                },
                version=ANY_VERSION,
                acting_user=coordinator,
            )

    def _next_years_drafts(self, organisation: Organisation, today: datetime.date) -> None:
        """In the autumn, roll each adopted plan of this year over into a draft for next year.

        Every risk is carried over, except that Socialnämnden closes its lowest risk that has no
        open action. A committee whose plan for this year is not adopted is still busy with it
        and gets no draft. Only on the first run: a plan that already has a successor is left.
        """
        if today.month < NEXT_YEAR_FROM_MONTH:
            return
        coordinator = User.objects.get(username="samordnare")
        administrator = User.objects.get(username="admin")
        plans = ControlPlan.objects.filter(
            unit__organisation=organisation, year=today.year, adopted_on__isnull=False
        ).select_related("unit")
        for plan in plans.order_by("unit__name"):
            if next_plan(plan) is not None:
                continue
            risks = list(plan.risks.select_related("plan__risk_matrix").prefetch_related("actions"))
            carry = Choice(RolloverDecision.Decision.CARRY)
            choices = {risk.pk: carry for risk in risks}
            acting_user = administrator
            if plan.unit.external_id == "sn":
                acting_user = coordinator
                settled = [
                    (risk.level.rank, risk.pk)
                    for risk in risks
                    if risk.level is not None
                    and not any(action.status in OPEN_PROGRESS for action in risk.actions.all())
                ]
                if settled:
                    choices[min(settled)[1]] = Choice(
                        RolloverDecision.Decision.CLOSE, reason=CLOSED_REASON
                    )
            roll_over(plan, choices, acting_user=acting_user)

    def _user(
        self, username: str, first_name: str, last_name: str, organisation: Organisation | None
    ) -> User:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@exempelkommun.example",
            },
        )
        if created or not user.has_usable_password():
            # Also a person the document's history names, whom the import made without a login.
            user.set_password(DEMO_PASSWORD)
        user.first_name, user.last_name = first_name, last_name
        user.email = user.email or f"{username}@exempelkommun.example"
        # Every demo person works in the application; the administrator is the organisation's,
        # with no key to Django's admin (make one with `ik createsuperuser` when it is needed).
        user.is_active = True
        user.is_staff = user.is_superuser = False
        if organisation is not None:
            user.organisation = organisation
        user.save()
        return user

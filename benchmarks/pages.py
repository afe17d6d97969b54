"""p50/p95 per key page, for the demo and for a generated committee of 1,000 risks.

Run with `.venv/bin/python benchmarks/pages.py [--rounds N] [--risks N]`. It builds a throwaway
database (SQLite in a temporary directory, or a database of its own on DATABASE_URL's server,
through the test runner's setup), loads the demo, adds a large committee made with
bulk_create, and requests each page through Django's test client: the time per request
(rendering included, no network), the size of the answer and the number of queries.
Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("IK_DATA_DIR", tempfile.mkdtemp(prefix="ik-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "internkontroll.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from internkontroll.accounts.models import Role, RoleAssignment, User  # noqa: E402
from internkontroll.controls.models import ControlActivity  # noqa: E402
from internkontroll.followups.models import FollowUp  # noqa: E402
from internkontroll.organisation.models import (  # noqa: E402
    Organisation,
    Period,
    Process,
    RiskArea,
    Unit,
)
from internkontroll.plans.models import ControlPlan  # noqa: E402
from internkontroll.risks.models import Action, Risk  # noqa: E402

ACTIONS_PER_RISK = 3
ASSIGNED_TASKS = 300  # open actions assigned to one person, for "My tasks"


def large_committee(organisation: Organisation, risks: int) -> tuple[ControlPlan, User]:
    """A committee with `risks` risks, 3 actions each, every fifth risk under review."""
    unit = Unit.objects.create(
        organisation=organisation, external_id="stor", name="Stora nämnden", kind="committee"
    )
    below = Unit.objects.create(
        organisation=organisation,
        external_id="stor-enhet",
        name="Stora enheten",
        kind="unit",
        parent=unit,
    )
    plan = ControlPlan.objects.create(
        unit=unit, year=2025, risk_matrix=organisation.current_risk_matrix(), reference="S-1"
    )
    areas = [
        RiskArea.objects.get_or_create(organisation=organisation, name=f"Område {n}")[0]
        for n in range(8)
    ]
    processes = [
        Process.objects.get_or_create(organisation=organisation, name=f"Process {n}")[0]
        for n in range(5)
    ]
    created = Risk.objects.bulk_create(
        Risk(
            plan=plan,
            external_id=f"r-{n}",
            title=f"Risk nummer {n}",
            unit=below if n % 2 else None,
            area=areas[n % len(areas)],
            process=processes[n % len(processes)],
            description="Beskrivning av risken. " * 8,
            consequence_description="Vad som händer. " * 6,
            existing_controls="Befintliga kontroller.",
            planned_handling="Planerad hantering. " * 3,
            probability=1 + n % 4,
            consequence=1 + (n // 4) % 4,
            handling=["mitigate", "review"] if n % 5 == 0 else ["mitigate"],
        )
        for n in range(risks)
    )
    assignee = User.objects.create_user(username="stor-ansvarig", organisation=organisation)
    RoleAssignment.objects.create(
        user=assignee, organisation=organisation, unit=unit, role=Role.RESPONSIBLE
    )
    statuses = ["not_started", "in_progress", "done"]
    actions = Action.objects.bulk_create(
        Action(
            risk=risk,
            external_id=f"a-{m}",
            title=f"Åtgärd {m} för {risk.title}",
            status=statuses[m],
            due_date=datetime.date(2025, 3 + (number + m) % 10, 28),
            assignee=assignee if m == 0 and number < ASSIGNED_TASKS else None,
        )
        for number, risk in enumerate(created)
        for m in range(ACTIONS_PER_RISK)
    )
    activities = ControlActivity.objects.bulk_create(
        ControlActivity(
            risk=risk,
            external_id="k",
            title=f"Kontroll av {risk.title}",
            method="sample",
            sample="25 ärenden",
            responsible="Enhetschef",
            assignee=assignee,
        )
        for risk in created
        if "review" in risk.handling
    )
    periods = list(Period.objects.filter(organisation=organisation))
    through = ControlActivity.periods.through
    through.objects.bulk_create(
        through(controlactivity_id=activity.pk, period_id=period.pk)
        for activity in activities
        for period in periods
    )
    t1 = periods[0]
    FollowUp.objects.bulk_create(
        [
            FollowUp(action=action, period=t1, date=datetime.date(2025, 4, 20),
                     status=action.status, comment="Kommentar vid uppföljningen. " * 4)
            for action in actions
        ]
        + [
            FollowUp(control_activity=activity, period=t1, date=datetime.date(2025, 4, 20),
                     result="no_remarks", comment="Inga anmärkningar.")
            for activity in activities
        ]
    )  # fmt: skip
    return plan, assignee


def measure(client: Client, url: str, rounds: int) -> str:
    client.get(url)  # warm: the session, the template loaders, the translations
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)  # noqa: S101
    count = len(queries)  # now: the next request empties the log the context reads from
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return (
        f"{statistics.median(times):8.1f} {p95:8.1f} {len(response.content) / 1024:8.0f} {count:8d}"
    )


def report(title: str, pages: list[tuple[str, User, str]], rounds: int) -> None:
    print(f"\n{title}")
    print(f"{'page':<34}{'p50 ms':>8} {'p95 ms':>8} {'KB':>8} {'queries':>8}")
    for name, user, url in pages:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
        client.force_login(user)
        print(f"{name:<34}{measure(client, url, rounds)}")


def key_pages(
    plan: ControlPlan, coordinator: User, assignee: User, reader: User
) -> list[tuple[str, User, str]]:
    risk = Risk.objects.filter(plan=plan).order_by("-id").first()
    assert risk is not None  # noqa: S101 (the plans have risks)
    risk_list = f"{reverse('risks:overview')}?unit={plan.unit_id}&year={plan.year}"
    url: Callable[..., str] = reverse
    return [
        ("My tasks", assignee, url("followups:mine")),
        ("Risk list, first page", coordinator, risk_list),
        ("Risk list, level filter", coordinator, f"{risk_list}&level=Hög"),
        ("Risk list, page 2 by level", coordinator, f"{risk_list}&sort=level&page=2"),
        ("Plan page", coordinator, url("plans:detail", args=[plan.pk])),
        ("Risk page", coordinator, url("risks:detail", args=[risk.pk])),
        ("All committees", reader, url("organisation:overview")),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--risks", type=int, default=1000)
    options = parser.parse_args()
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("demo", quiet_logins=True, stdout=io.StringIO())
        organisation = Organisation.objects.get()
        demo_plan = (
            ControlPlan.objects.select_related("unit")
            .annotate(risk_count=Count("risks"))
            .order_by("-risk_count", "unit__name")
            .first()
        )
        assert demo_plan is not None  # noqa: S101 (the demo has plans)
        users = {user.username: user for user in User.objects.all()}
        print(f"database: {connection.vendor}; {options.rounds} requests per page")
        report(
            f"Demo: {demo_plan.unit.name} {demo_plan.year}, {demo_plan.risks.count()} risks",
            key_pages(demo_plan, users["admin"], users["ansvarig"], users["lasare"]),
            options.rounds,
        )
        plan, assignee = large_committee(organisation, options.risks)
        coordinator = User.objects.create_user(
            username="stor-samordnare", organisation=organisation
        )
        RoleAssignment.objects.create(
            user=coordinator, organisation=organisation, unit=plan.unit, role=Role.COORDINATOR
        )
        report(
            f"Generated: {plan.unit.name} {plan.year}, {options.risks} risks, "
            f"{ASSIGNED_TASKS} open actions for one person",
            key_pages(plan, coordinator, assignee, users["lasare"]),
            options.rounds,
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

"""p50/p95 of the key pages and of every report kind and format, at demo, city or country scale.

    .venv/bin/python benchmarks/key_pages.py --scale demo|tiny|city [--rounds N]
    DATABASE_URL=postgres://…/ik_gen_country .venv/bin/python benchmarks/key_pages.py -s existing

`demo`, `tiny` and `city` build a throwaway database first (a temporary SQLite file, or with
DATABASE_URL a database of its own on that server, made like the test runner's) with `ik demo`
or `ik generate --profile`. `existing` measures the database DATABASE_URL names as it is, which
is how country scale is measured: generate it once (`ik generate --profile country`, about
12 minutes and 12 GB on PostgreSQL), then point this at it. Nothing is written to it: every
request runs in a transaction that is rolled back (a statement timeout stops a runaway query
on PostgreSQL).

Pages go through Django's test client, middleware and session included, as the person who
uses them: the committee coordinator of the largest committee, its most-assigned responsible
person and an organisation-wide administrator. Reports are the largest committee's, and its
organisation's overview of the year made as the queue's worker makes it for the administrator.
Prints p50 and p95 of wall time, the median CPU time of this process (the database server's
time counts in wall time only), size and queries. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("IK_DATA_DIR", tempfile.mkdtemp(prefix="ik-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "internkontroll.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from internkontroll.accounts.models import Role, RoleAssignment, User  # noqa: E402
from internkontroll.jobs.models import ReportJob  # noqa: E402
from internkontroll.jobs.reports import produce  # noqa: E402
from internkontroll.plans.models import ControlPlan  # noqa: E402
from internkontroll.reports.kinds import KINDS, ReportError  # noqa: E402
from internkontroll.reports.render import FORMATS  # noqa: E402
from internkontroll.reports.requests import make  # noqa: E402
from internkontroll.risks.models import Action, Risk  # noqa: E402

SCALES = ("demo", "tiny", "city", "existing")


@dataclass
class Figures:
    times: list[float]
    size: int
    queries: int
    cpu: list[float]  # this process's CPU time per call: Python's share, without the server's

    def line(self, name: str) -> str:
        ms = sorted(t * 1000 for t in self.times)
        p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
        cpu = statistics.median(self.cpu) * 1000
        return (
            f"{name:<44} p50 {statistics.median(ms):7.1f} ms  p95 {p95:7.1f} ms"
            f"  cpu {cpu:6.1f} ms  {self.size / 1024:7.1f} KB  {self.queries:4d} queries"
        )


def measure(
    call: Callable[[], bytes], rounds: int, timeout: float, before: Callable[[], None] | None = None
) -> Figures | str:
    """Time `call` `rounds` times, each in a transaction that is rolled back; `before` runs
    in the transaction, untimed."""
    times: list[float] = []
    cpu: list[float] = []
    size = queries = 0
    for _ in range(rounds):
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL statement_timeout = {int(timeout * 1000)}")
            try:
                if before is not None:
                    before()
                # The log keeps the last 9,000 queries: full, it would count none.
                connection.queries_log.clear()
                with CaptureQueriesContext(connection) as captured:
                    started, cpu_started = time.perf_counter(), time.process_time()
                    content = call()
                    times.append(time.perf_counter() - started)
                    cpu.append(time.process_time() - cpu_started)
            except Exception as error:  # printed: a benchmark goes on with the next page
                transaction.set_rollback(True)
                return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
            size, queries = len(content), len(captured)
            transaction.set_rollback(True)
    return Figures(times, size, queries, cpu)


def page(user: User, url: str) -> tuple[Callable[[], bytes], Callable[[], None]]:
    """The request, and the login before it (in the rolled-back transaction: the session
    goes too)."""
    client = Client()

    def log_in() -> None:
        client.force_login(user)

    def get() -> bytes:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{response.status_code} for {url}")
        return bytes(response.content)

    return get, log_in


@dataclass
class People:
    admin: User
    coordinator: User
    responsible: User
    plan: ControlPlan
    risk: Risk


def people() -> People:
    """Who uses the key pages, found in any database: the largest committee's people."""
    plan = (
        ControlPlan.objects.annotate(size=Count("risks"))
        .order_by("-size", "-year", "id")
        .select_related("unit")
        .first()
    )
    if plan is None:
        raise SystemExit("Databasen har ingen plan att mäta.")
    coordinator = (
        RoleAssignment.objects.filter(role=Role.COORDINATOR, unit=plan.unit)
        .select_related("user")
        .first()
    )
    admin = RoleAssignment.objects.filter(
        role=Role.ADMIN, unit=None, user__organisation=plan.unit.organisation_id
    ).first()
    responsible = (
        User.objects.filter(assigned_actions__risk__plan=plan)
        .annotate(tasks=Count("assigned_actions"))
        .order_by("-tasks")
        .first()
    )
    risk = Risk.objects.filter(plan=plan).annotate(n=Count("actions")).order_by("-n", "id").first()
    if coordinator is None or admin is None or risk is None:
        raise SystemExit("Den största nämnden saknar samordnare, administratör eller risker.")
    return People(admin.user, coordinator.user, responsible or coordinator.user, plan, risk)


def key_pages(who: People) -> list[tuple[str, User, str]]:
    plan = who.plan
    pages = [
        ("Mina uppgifter", who.responsible, reverse("followups:mine")),
        (
            "risklistan, första sidan",
            who.coordinator,
            f"{reverse('risks:overview')}?unit={plan.unit_id}&year={plan.year}",
        ),
        ("planen", who.coordinator, reverse("plans:detail", args=[plan.pk])),
        ("en risk", who.coordinator, reverse("risks:detail", args=[who.risk.pk])),
        ("alla nämnder", who.admin, reverse("organisation:overview")),
        ("sök", who.coordinator, f"{reverse('search:results')}?q=kontroll"),
        ("historiken", who.admin, reverse("trail:log")),
    ]
    board = f"{reverse('followups:board')}?plan={plan.pk}"
    pages.append(("uppföljningstavlan", who.coordinator, board))
    return pages


def report_calls(who: People) -> list[tuple[str, Callable[[], bytes]]]:
    """Every kind and format of the largest committee's plan; the organisation-wide overview
    as the queue's worker makes it for the organisation's administrator (`jobs.reports`)."""
    plan = who.plan
    period = plan.unit.organisation.periods.order_by("position").last()
    calls = []
    for kind, spec in KINDS.items():
        for fmt in FORMATS:
            code = period.code if spec.takes_period and period else None

            def call(kind: str = kind, fmt: str = fmt, code: str | None = code) -> bytes:
                return make(kind, plan, fmt=fmt, period_code=code).content

            def in_worker(kind: str = kind, fmt: str = fmt, code: str | None = code) -> bytes:
                job = ReportJob(
                    requested_by=who.admin,
                    plan=plan,
                    kind=kind,
                    format=fmt,
                    period_code=code or "",
                    language="sv",
                )
                return produce(job).content

            if spec.organisation_wide:
                calls.append((f"{kind} ({fmt}), i bakgrunden", in_worker))
            else:
                calls.append((f"{kind} ({fmt})", call))
    return calls


def build(scale: str) -> str | None:
    """A throwaway database with the scale's data; its old name, to drop it afterwards."""
    if scale == "existing":
        return None
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    if scale == "demo":
        call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    else:
        from internkontroll.generate.generator import generate
        from internkontroll.generate.profiles import PROFILES

        generate(PROFILES[scale], seed=1, organisations=None, jobs=1)
    return old_name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-s", "--scale", choices=SCALES, default="demo")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--report-rounds", type=int, default=3)
    parser.add_argument("--no-reports", action="store_true")
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()

    old_name = build(args.scale)
    try:
        who = people()
        print(
            f"{connection.vendor}, {args.scale}: {Risk.objects.count():,} risker, "
            f"{Action.objects.count():,} åtgärder; största nämnden {who.plan.unit.name} "
            f"{who.plan.year} med {who.plan.risks.count():,} risker"
        )
        for name, user, url in key_pages(who):
            get, log_in = page(user, url)
            result = measure(get, args.rounds, args.timeout, before=log_in)
            print(result.line(name) if isinstance(result, Figures) else f"{name:<58} {result}")
        if not args.no_reports:
            for name, call in report_calls(who):
                try:
                    result = measure(call, args.report_rounds, args.timeout)
                except ReportError as error:
                    result = str(error)
                print(result.line(name) if isinstance(result, Figures) else f"{name:<58} {result}")
    finally:
        if old_name is not None:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

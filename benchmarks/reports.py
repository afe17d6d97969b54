"""How long each report takes in each format: the demo's largest committee and a large one.

Run with `.venv/bin/python benchmarks/reports.py [--repeat N] [--risks N]`. It builds a
throwaway SQLite database in a temporary directory (or uses DATABASE_URL's server, in a database
of its own via the test runner's setup), loads the demo and a generated committee of 200 risks
and 600 actions, and prints seconds per kind and format: processor time of this process and of
the processes it started (a long PDF is made in two at once; processor time is what other
programs on the machine disturb less) and wall time, each the median of N runs. Not a test:
nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("IK_DATA_DIR", tempfile.mkdtemp(prefix="ik-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "internkontroll.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from internkontroll.controls.models import ControlActivity  # noqa: E402
from internkontroll.followups.models import FollowUp  # noqa: E402
from internkontroll.organisation.models import Organisation, Period, RiskArea, Unit  # noqa: E402
from internkontroll.plans.models import ControlPlan  # noqa: E402
from internkontroll.reports.kinds import KINDS  # noqa: E402
from internkontroll.reports.render import FORMATS  # noqa: E402
from internkontroll.reports.requests import make  # noqa: E402
from internkontroll.risks.models import Action, Risk  # noqa: E402

RISKS, ACTIONS_PER_RISK = 200, 3


def processor_time() -> float:
    """Seconds of processor time of this process and its finished children."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def large_plan(organisation: Organisation) -> ControlPlan:
    unit = Unit.objects.create(
        organisation=organisation, external_id="stor", name="Stora nämnden", kind="committee"
    )
    plan = ControlPlan.objects.create(
        unit=unit, year=2025, risk_matrix=organisation.current_risk_matrix(), reference="S-1"
    )
    areas = [
        RiskArea.objects.get_or_create(organisation=organisation, name=f"Område {n}")[0]
        for n in range(8)
    ]
    risks = Risk.objects.bulk_create(
        Risk(
            plan=plan,
            external_id=f"r-{n}",
            title=f"Risk nummer {n}",
            area=areas[n % len(areas)],
            description="Beskrivning av risken. " * 8,
            consequence_description="Vad som händer. " * 6,
            existing_controls="Befintliga kontroller.",
            probability=1 + n % 4,
            consequence=1 + (n // 4) % 4,
            handling=["mitigate", "review"] if n % 5 == 0 else ["mitigate"],
        )
        for n in range(RISKS)
    )
    statuses = ["not_started", "in_progress", "done"]
    actions = Action.objects.bulk_create(
        Action(
            risk=risk,
            external_id=f"a-{m}",
            title=f"Åtgärd {m} för {risk.title}",
            status=statuses[m],
            due_date=datetime.date(2025, 12, 31),
        )
        for risk in risks
        for m in range(ACTIONS_PER_RISK)
    )
    activities = ControlActivity.objects.bulk_create(
        ControlActivity(risk=risk, external_id="k", title=f"Kontroll av {risk.title}")
        for risk in risks
        if "review" in risk.handling
    )
    period = Period.objects.get(organisation=organisation, code="T2")
    FollowUp.objects.bulk_create(
        [
            FollowUp(action=action, period=period, date=datetime.date(2025, 9, 10),
                     status=action.status, comment="Kommentar vid uppföljningen. " * 4)
            for action in actions
        ]
        + [
            FollowUp(control_activity=activity, period=period, date=datetime.date(2025, 9, 10),
                     result="no_remarks", comment="Inga anmärkningar.")
            for activity in activities
        ]
    )  # fmt: skip
    return plan


def timings(plan: ControlPlan, repeat: int) -> None:
    print(f"\n{plan.unit.name} {plan.year}: {plan.risks.count()} risks, "
          f"{Action.objects.filter(risk__plan=plan).count()} actions")  # fmt: skip
    print(f"{'kind':<16}" + "".join(f"{fmt:>13}" for fmt in FORMATS))
    for kind, spec in KINDS.items():
        cells = []
        for fmt in FORMATS:
            runs = []
            for _ in range(repeat):
                wall, cpu = time.perf_counter(), processor_time()
                make(kind, plan, fmt=fmt, period_code="T2" if spec.takes_period else None)
                runs.append((processor_time() - cpu, time.perf_counter() - wall))
            cpu, wall = (statistics.median(run[i] for run in runs) for i in range(2))
            cells.append(f"{cpu:7.2f} ({wall:.2f})")
        print(f"{kind:<16}" + "".join(cells))


def main() -> None:
    global RISKS
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--risks", type=int, default=RISKS)
    args = parser.parse_args()
    RISKS = args.risks
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("demo", quiet_logins=True, stdout=io.StringIO())
        organisation = Organisation.objects.get()
        largest = (
            ControlPlan.objects.select_related("unit")
            .annotate(risk_count=Count("risks"))
            .order_by("-risk_count", "unit__name")
            .first()
        )
        assert largest is not None  # noqa: S101 (the demo has plans)
        timings(largest, args.repeat)
        large = ControlPlan.objects.select_related("unit").get(pk=large_plan(organisation).pk)
        timings(large, args.repeat)
        print("\nseconds per report: processor, with child processes (wall), "
              f"median of {args.repeat}; overview covers every committee of the year")  # fmt: skip
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

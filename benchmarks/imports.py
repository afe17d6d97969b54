"""How fast `ik import` takes whole organisations: risks/s, objects/s and peak memory.

Run with `.venv/bin/python benchmarks/imports.py [--risks 1000 10000]` (with DATABASE_URL for
PostgreSQL). Each document is a municipality's ten years (ten committees, risks with their
actions, control activities and follow-ups, about 4 kB of JSON per risk) written to a file and
imported the way `ik import` does it, each as an organisation of its own, into a throwaway
database (made like the test runner's). Peak memory is the resident set the import itself
adds; on SQLite the test database lives in memory, and what it grew by is printed beside it
(the import's own share is the difference). The CPU time is this process's alone (on SQLite
all the work; on PostgreSQL the server's is not in it, and is printed beside it when the server
runs on this machine), a measure that other load on the machine skews less than the time on the
clock. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("IK_DATA_DIR", tempfile.mkdtemp(prefix="ik-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "internkontroll.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.backends.sqlite3.creation import DatabaseCreation  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from internkontroll.exchange.importer import import_document, read_document  # noqa: E402
from internkontroll.organisation.defaults import DEFAULT_PERIODS, DEFAULT_RISK_MATRIX  # noqa: E402

COMMITTEES = 10
# Ten finished years, so that every follow-up lies in the past.
YEARS = range(datetime.date.today().year - 10, datetime.date.today().year)
WORDS = [
    "rutin",
    "kontroll",
    "ekonomiskt",
    "bistånd",
    "utbetalning",
    "attest",
    "behörighet",
    "avtal",
    "upphandling",
    "faktura",
    "hemtjänst",
    "placering",
    "bemanning",
    "delegation",
    "dokumentation",
    "uppföljning",
    "handläggning",
    "beslut",
    "verksamhet",
    "enhet",
    "förvaltning",
    "nämnd",
    "personal",
    "system",
    "loggar",
    "åtkomst",
    "säkerhet",
    "stickprov",
]


def text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def follow_up(rng: random.Random, year: int, **values: Any) -> dict[str, Any]:
    period = rng.choice(DEFAULT_PERIODS)
    month = int(period["ends"][:2])
    return {
        "period": period["code"],
        "date": f"{year}-{month:02d}-{rng.randint(1, 28):02d}",
        **values,
        "comment": text(rng, 10),
    }


def risk(rng: random.Random, number: int, year: int, committee: int) -> dict[str, Any]:
    probability, consequence = rng.randint(1, 4), rng.randint(1, 4)
    return {
        "id": f"r-{number}",
        "title": text(rng, 5),
        "unit": f"f{committee}-e{rng.randint(1, 3)}",
        "area": f"Riskområde {rng.randint(1, 6)}",
        "process": f"Process {committee}.{rng.randint(1, 8)}",
        "description": text(rng, 25),
        "consequence_description": text(rng, 15),
        "existing_controls": text(rng, 12),
        "probability": probability,
        "consequence": consequence,
        "target_probability": max(1, probability - 1),
        "target_consequence": consequence,
        "handling": ["mitigate", "review"],
        "planned_handling": text(rng, 15),
        "actions": [
            {
                "id": f"a-{number}-{index}",
                "title": text(rng, 6),
                "description": text(rng, 12),
                "responsible": "Enhetschef",
                "due_date": f"{year}-12-31",
                "status": rng.choice(["not_started", "in_progress", "done"]),
                "follow_ups": [follow_up(rng, year, status="in_progress", on_track=True)],
            }
            for index in (1, 2)
        ],
        "control_activities": [
            {
                "id": f"k-{number}",
                "title": text(rng, 6),
                "description": text(rng, 12),
                "method": "sample",
                "sample": "10 ärenden per tertial",
                "responsible": "Controller",
                "frequency": "per_period",
                "periods": ["T1", "T2", "VB"],
                "due_date": f"{year}-12-31",
                "follow_ups": [follow_up(rng, year, result="no_remarks")],
            }
        ],
        "follow_ups": [follow_up(rng, year, on_track=rng.random() < 0.8)],
    }


def document(risks: int, seed: int = 1, name: str = "Benchkommun") -> dict[str, Any]:
    """A municipality's ten years with `risks` risks spread over its committees' plans."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    units: list[dict[str, Any]] = []
    for committee in range(1, COMMITTEES + 1):
        units.append({"id": f"n{committee}", "name": f"Nämnd {committee}", "kind": "committee"})
        units.append(
            {"id": f"f{committee}", "name": f"Förvaltning {committee}", "kind": "administration"}
        )
        units[-1]["parent"] = f"n{committee}"
        units.extend(
            {"id": f"f{committee}-e{n}", "name": f"Enhet {committee}.{n}", "kind": "unit"}
            | {"parent": f"f{committee}"}
            for n in (1, 2, 3)
        )
    for unit in units:
        unit.setdefault("parent", None)
    plans = [
        {"unit": f"n{committee}", "year": year, "reference": f"N{committee}-{year - 1}/1"}
        | {"risks": []}
        for year in YEARS
        for committee in range(1, COMMITTEES + 1)
    ]
    for number in range(risks):
        plan = plans[number % len(plans)]
        committee = int(plan["unit"][1:])
        plan["risks"].append(risk(rng, number, plan["year"], committee))
    return {
        "format": "internkontroll/1",
        "organisation": {
            "name": name,
            "risk_matrix": DEFAULT_RISK_MATRIX,
            "periods": DEFAULT_PERIODS,
        },
        "units": units,
        "plans": plans,
    }


def objects_in(document: dict[str, Any]) -> int:
    count = 1 + len(document["units"]) + len(document["organisation"]["periods"])
    for plan in document["plans"]:
        count += 1
        for item in plan["risks"]:
            count += 1 + len(item["follow_ups"])
            for child in (*item["actions"], *item["control_activities"]):
                count += 1 + len(child["follow_ups"])
    return count


def resident_megabytes() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class PeakMemory:
    """The largest resident set seen while the block runs, sampled every 10 ms."""

    def __enter__(self) -> PeakMemory:
        self.start = self.peak = resident_megabytes()
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self) -> None:
        while self.running:
            self.peak = max(self.peak, resident_megabytes())
            time.sleep(0.01)

    def __exit__(self, *exc: object) -> None:
        self.running = False
        self.thread.join()
        self.peak = max(self.peak, resident_megabytes())


def server_cpu_seconds() -> float | None:
    """The CPU time of this connection's PostgreSQL backend so far, if it runs on this machine."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def in_memory_database_megabytes() -> float | None:
    """The size of an SQLite database held in memory (the test database), else None."""
    if connection.vendor != "sqlite" or not DatabaseCreation.is_in_memory_db(
        connection.settings_dict["NAME"]
    ):
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        return pages * cursor.fetchone()[0] / 2**20


def run(risks: int, directory: Path, attempt: int = 1) -> None:
    data = document(risks, name=f"Benchkommun {risks}" + (f" ({attempt})" if attempt > 1 else ""))
    objects = objects_in(data)
    path = directory / f"document-{risks}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    del data
    megabytes = path.stat().st_size / 2**20
    server_started = server_cpu_seconds()
    database_started = in_memory_database_megabytes()
    with PeakMemory() as memory:
        started, cpu_started = time.monotonic(), time.process_time()
        import_document(read_document(path, max_bytes=path.stat().st_size))
        seconds, cpu = time.monotonic() - started, time.process_time() - cpu_started
    server_ended = server_cpu_seconds()
    server = ""
    if server_started is not None and server_ended is not None:
        server = f", the server's {server_ended - server_started:.2f} s"
    database_ended = in_memory_database_megabytes()
    database = ""
    if database_started is not None and database_ended is not None:
        database = f" (the database +{database_ended - database_started:,.0f} MB)"
    print(
        f"{risks:>7,} risks {megabytes:6.1f} MB {seconds:7.2f} s {risks / seconds:9,.0f} risks/s "
        f"{objects / seconds:9,.0f} objects/s  peak +{memory.peak - memory.start:,.0f} MB"
        f"{database}  "
        f"(this process's CPU {cpu:.2f} s: {risks / cpu:,.0f} risks/s{server})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--risks", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument(
        "--repeat", type=int, default=1, help="imports of each size, each its own organisation"
    )
    arguments = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    directory = Path(tempfile.mkdtemp(prefix="ik-bench-documents-"))
    try:
        print(f"{connection.vendor}: a municipality's ten years, imported from a file")
        for risks in arguments.risks:
            for attempt in range(1, arguments.repeat + 1):
                run(risks, directory, attempt)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

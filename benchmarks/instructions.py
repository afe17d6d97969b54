"""Instructions per request of each key page, counted by valgrind: figures that do not move
with the machine's load, for telling whether a change made the pages cheaper.

Run with `.venv/bin/python benchmarks/instructions.py [--per-person 2]`; it needs valgrind
(Debian's package `valgrind`). Like benchmarks/load.py it makes a database of its own
(`ik_instructions` on DATABASE_URL's PostgreSQL server, else SQLite in a temporary directory),
migrates it and loads the demo. Then it runs itself under callgrind: it reads every page the
load run reads, as the same people (Django's test client, in one process, no server), once
to warm up, then once more per kind of page with counting on. It prints the instructions of
this Python process per request, for each kind of page and for the load run's mix (its
weights, and a report in a tenth of a user's turns), and the queries per request.

On the machine where a load run's requests per second move by ±10 % from one run to the
next, these figures are the same on every run of the same code and data (PYTHONHASHSEED is
fixed). They count the application's process only: the database server's work is not in them
(benchmarks/load.py prints its CPU time). Counting makes the run about 50 times slower: about five
minutes in all. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import operator
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import load  # noqa: E402 - benchmarks/ is put on the path just above

DATABASE_NAME = "ik_instructions"
# Counting is on inside this C function only, and a profile is written as it returns: the
# measured work is called through it, and nothing else in the process calls it.
COUNTED = "_operator_call"
# A write of the load run: an action's report form read and sent, two requests.
WRITES = "rapportera"
WRITE_SHARE = 0.1  # benchmarks/load.py's default: a tenth of a user's turns are writes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--per-person", type=int, default=2, help="pages of each kind read per person"
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the run under callgrind
    args = parser.parse_args()
    if args.measure:
        measure(Path(args.measure), args.per_person)
        return
    load.prepared_environment(DATABASE_NAME)  # and set in this process's environment
    with tempfile.TemporaryDirectory(prefix="ik-instructions-") as folder:
        out = Path(folder)
        # Looked up here, at full speed: what each person may read and report on.
        found = {name: dataclasses.asdict(targets) for name, targets in load.targets().items()}
        (out / "targets.json").write_text(json.dumps(found))
        command = [
            "valgrind",
            "--tool=callgrind",
            "--collect-atstart=no",
            f"--toggle-collect={COUNTED}",
            f"--dump-after={COUNTED}",
            f"--callgrind-out-file={out / 'callgrind.out'}",
            sys.executable,
            __file__,
            "--measure",
            str(out),
            "--per-person",
            str(args.per_person),
        ]
        try:
            done = subprocess.run(  # noqa: S603 - valgrind and this script
                command, env={**os.environ, "PYTHONHASHSEED": "0"}, capture_output=True, text=True
            )
        except FileNotFoundError:
            raise SystemExit("valgrind saknas: installera Debians paket valgrind.") from None
        if done.returncode != 0:
            sys.stderr.write(done.stderr[-4000:])
            raise SystemExit(f"Mätningen misslyckades (status {done.returncode}).")
        measured = json.loads((out / "measured.json").read_text())
        counts = instruction_counts(out, len(measured))
    print_figures(measured, counts)


def measure(out: Path, per_person: int) -> None:
    """Under callgrind: every kind of page once unmeasured, then once more through COUNTED."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from internkontroll.accounts.models import User

    found = {
        name: load.Targets(**targets)
        for name, targets in json.loads((out / "targets.json").read_text()).items()
    }
    clients = {}
    for username in sorted(found):
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))
    work: dict[str, list[Callable[[], object]]] = {}
    for username, targets in sorted(found.items()):
        client = clients[username]
        for name, urls in targets.reads.items():
            work.setdefault(name, []).extend(
                functools.partial(client.get, url) for url in urls[:per_person]
            )
        work.setdefault(WRITES, []).extend(
            functools.partial(report, client, url) for url in targets.reportable[:per_person]
        )

    def run(calls: list[Callable[[], object]]) -> None:
        for call in calls:
            call()

    for calls in work.values():
        run(calls)  # warm: templates compiled, connections open, scopes cached
    measured = []
    for name, calls in work.items():
        counter = QueryCounter()  # Django empties its own log as each request starts
        with connection.execute_wrapper(counter):
            run(calls)
        operator.call(run, calls)  # counted
        measured.append({"name": name, "requests": len(calls), "queries": counter.count})
    (out / "measured.json").write_text(json.dumps(measured))


class QueryCounter:
    """Counts the queries sent through it (a database connection's execute wrapper)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., object], *query: object) -> object:
        self.count += 1
        return execute(*query)


def report(client: object, url: str) -> None:
    """An action's report form read and sent (as a person does, and the load run's writes)."""
    form = client.get(url)  # type: ignore[attr-defined]
    data = load.report(form.content.decode(), "instruktioner")
    if form.status_code != 200 or data is None:
        raise SystemExit(f"Rapportformuläret gick inte att läsa: {url}")
    client.post(url, data)  # type: ignore[attr-defined]


def instruction_counts(out: Path, expected: int) -> list[int]:
    """The instructions of each counted call: callgrind's profiles numbered 1, 2, … in the
    order the calls returned."""
    counts = []
    for number in range(1, expected + 1):
        profile = out / f"callgrind.out.{number}"
        totals = [
            line.split()[1]
            for line in profile.read_text().splitlines()
            if line.startswith("summary:")
        ]
        counts.append(int(totals[0]))
    if (out / f"callgrind.out.{expected + 1}").exists():
        raise SystemExit(f"Något annat anropade {COUNTED}: mätningen går inte att lita på.")
    return counts


def print_figures(measured: list[dict[str, object]], counts: list[int]) -> None:
    print("instruktioner per anrop i programmets process (valgrind callgrind; databasservern")
    print("räknas inte), frågor per anrop mätta vid en körning utan räkning")
    print(f"({WRITES}: formuläret och dess sändning räknas som ett anrop)")
    print(f"{'sida':<20}{'anrop':>7}{'miljoner instr.':>17}{'frågor':>9}")
    per_request = {}
    for item, count in zip(measured, counts, strict=True):
        name, requests = str(item["name"]), int(str(item["requests"]))
        per_request[name] = count / requests
        queries = int(str(item["queries"])) / requests
        print(f"{name:<20}{requests:>7}{per_request[name] / 1e6:>17.1f}{queries:>9.1f}")
    reads = {name: weight for name, weight in load.READS.items() if name in per_request}
    read_mix = sum(per_request[name] * weight for name, weight in reads.items()) / sum(
        reads.values()
    )
    print(f"läsningarna viktade som belastningskörningen: {read_mix / 1e6:.1f} miljoner")
    if WRITES in per_request:
        # A turn is a read, or a write of two requests (the form and its sending).
        turn = (1 - WRITE_SHARE) * read_mix + WRITE_SHARE * per_request[WRITES]
        mix = turn / ((1 - WRITE_SHARE) + 2 * WRITE_SHARE)
        print(f"med belastningskörningens rapporter, per anrop: {mix / 1e6:.1f} miljoner")


if __name__ == "__main__":
    main()

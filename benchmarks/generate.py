"""How long `ik generate` takes, and how many rows per second each table received.

Run with `.venv/bin/python benchmarks/generate.py [tiny|city|country] [--organisations N]
[--jobs N]`. It generates into a throwaway database (a temporary SQLite file, or with
DATABASE_URL a database of its own on that server, made like the test runner's) and drops it
afterwards. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("IK_DATA_DIR", tempfile.mkdtemp(prefix="ik-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "internkontroll.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from internkontroll.generate.generator import default_jobs, generate  # noqa: E402
from internkontroll.generate.profiles import PROFILES  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("profile", nargs="?", default="city", choices=sorted(PROFILES))
    parser.add_argument("--organisations", type=int)
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        jobs = arguments.jobs or default_jobs()
        print(f"{connection.vendor}, profile {arguments.profile}, {jobs} job(s)")
        started = time.monotonic()
        result = generate(
            PROFILES[arguments.profile],
            seed=arguments.seed,
            organisations=arguments.organisations,
            jobs=jobs,
        )
        seconds = time.monotonic() - started
        total = 0
        for count in result.counts.values():
            rows = count.rows + (count.history or 0)
            total += rows
            print(f"  {count.label:<60} {count.rows:>11,} rows  {count.history or 0:>11,} history")
        print(f"{len(result.organisations)} organisations, {total:,} rows in {seconds:.1f} s")
        print(f"{total / seconds:,.0f} rows/s, {seconds / len(result.organisations):.2f} s each")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

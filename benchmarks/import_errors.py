"""How long `ik import` takes, and how much memory and output it costs, to refuse bad documents.

Run with `.venv/bin/python benchmarks/import_errors.py`. It writes each document to a temporary
directory and runs the command as the shell would, printing seconds, the process's peak resident
memory so far (Django alone is about 50 MB), and the lines and bytes written. Nothing touches a
database: every document is refused before the import writes. Not a test: nothing is asserted.
"""

from __future__ import annotations

import io
import json
import os
import resource
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

from django.core.management import call_command  # noqa: E402
from django.core.management.base import CommandError  # noqa: E402

from internkontroll.exchange.tests.documents import small_document  # noqa: E402

ERRORS = 200_000


def wrong_type_risks() -> str:
    document = small_document()
    document["plans"][0]["risks"] = [
        {"id": f"r-{index}", "title": index} for index in range(ERRORS)
    ]
    return json.dumps(document)


def not_a_number() -> str:
    return json.dumps({"format": "internkontroll/1", "values": [float("nan")] * ERRORS})


def deep_nesting() -> str:
    return "[" * 100_000 + "]" * 100_000


def long_number() -> str:
    return '{"format": "internkontroll/1", "year": ' + "9" * 5_000 + "}"


def repeated_keys() -> str:
    pairs = ", ".join(f'"k{index % 1000}": {index}' for index in range(ERRORS))
    return '{"format": "internkontroll/1", "organisation": {' + pairs + "}}"


CASES: dict[str, Callable[[], str]] = {
    f"{ERRORS} risks of the wrong type": wrong_type_risks,
    f"{ERRORS} NaN": not_a_number,
    "100 000 [": deep_nesting,
    "a 5 000-digit number": long_number,
    f"{ERRORS} keys, 1 000 distinct": repeated_keys,
}


def peak_megabytes() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    directory = Path(tempfile.mkdtemp(prefix="ik-bench-documents-"))
    print(f"{'document':<36}{'MB':>7}{'seconds':>9}{'peak MB':>9}{'lines':>7}{'bytes':>8}")
    for name, make in CASES.items():
        path = directory / "document.json"
        path.write_text(make(), encoding="utf-8")
        err = io.StringIO()
        start = time.perf_counter()
        try:
            call_command("import", str(path), stdout=io.StringIO(), stderr=err)
        except CommandError as error:
            err.write(f"{error}\n")
        seconds = time.perf_counter() - start
        output = err.getvalue()
        print(
            f"{name:<36}{path.stat().st_size / 1e6:>7.1f}{seconds:>9.2f}"
            f"{peak_megabytes():>9.0f}{output.count(chr(10)):>7}{len(output):>8}"
        )


if __name__ == "__main__":
    main()

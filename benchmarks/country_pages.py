"""Time the pages that read history on an existing (country-scale) database, without changing it.

Run with `DATABASE_URL=postgres://.../ik_gen_country .venv/bin/python benchmarks/country_pages.py
[--rounds N] [--timeout SECONDS]`. Each page is rendered by its view through a request factory
(no session, no network) inside a transaction that is rolled back, with a statement timeout on
PostgreSQL. Prints the time per request, the size of the answer and the number of queries.
Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "internkontroll.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_htmx.middleware import HtmxDetails  # noqa: E402

from internkontroll.accounts.models import Role, RoleAssignment, User  # noqa: E402
from internkontroll.risks import views as risk_views  # noqa: E402
from internkontroll.risks.models import Risk  # noqa: E402
from internkontroll.trail import views as trail_views  # noqa: E402


class Timeout(Exception):
    pass


def _request(user: User, path: str, data: dict[str, str] | None = None) -> object:
    request = RequestFactory().get(path, data or {})
    request.user = user
    request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]
    request.LANGUAGE_CODE = "sv"  # type: ignore[attr-defined]
    return request


def measure(
    call: Callable[[], HttpResponse], rounds: int, timeout: float
) -> tuple[list[float], int, int] | None:
    times, size, queries = [], 0, 0
    for _ in range(rounds):
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL statement_timeout = {int(timeout * 1000)}")
            try:
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    response = call()
                    times.append(time.perf_counter() - start)
            except Exception as error:
                print(f"    failed: {type(error).__name__}: {str(error).splitlines()[0]}")
                transaction.set_rollback(True)
                return None
            size, queries = len(response.content), len(captured)
            transaction.set_rollback(True)
    return times, size, queries


def report(name: str, result: tuple[list[float], int, int] | None) -> None:
    if result is None:
        print(f"{name:<55} did not answer")
        return
    times, size, queries = result
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    print(
        f"{name:<55} p50 {statistics.median(ms):8.1f} ms  p95 {p95:8.1f} ms"
        f"  {size / 1024:7.1f} KB  {queries:3d} queries"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()
    print(f"{connection.vendor}: {Risk.objects.count()} risks")

    admin_role = RoleAssignment.objects.filter(role=Role.ADMIN, unit=None).order_by("id").first()
    coordinator_role = (
        RoleAssignment.objects.filter(role=Role.COORDINATOR)
        .exclude(unit=None)
        .order_by("id")
        .first()
    )
    if admin_role is None or coordinator_role is None:
        raise SystemExit("no administrator or coordinator in this database")
    admin, coordinator = admin_role.user, coordinator_role.user
    risk = (
        Risk.objects.filter(plan__unit=coordinator_role.unit, actions__isnull=False)
        .order_by("-id")
        .first()
    )
    if risk is None:
        raise SystemExit("no risk with actions in the coordinator's committee")

    pages: list[tuple[str, User, Callable[[object], HttpResponse], str, dict[str, str]]] = [
        (
            f"risk page #{risk.pk} ({coordinator.username})",
            coordinator,
            lambda r: risk_views.detail(r, risk.pk),
            f"/risker/{risk.pk}/",
            {},
        ),
    ]
    for user in (admin, coordinator):
        pages += [
            (f"history log ({user.username})", user, trail_views.log, "/historik/", {}),
            (
                f"history log, follow-ups ({user.username})",
                user,
                trail_views.log,
                "/historik/",
                {"kind": "follow_up"},
            ),
            (
                f"history log, one person ({user.username})",
                user,
                trail_views.log,
                "/historik/",
                {"person": str(user.pk)},
            ),
        ]
    for name, user, view, path, data in pages:
        first = {**data}
        result = measure(lambda: view(_request(user, path, first)), args.rounds, args.timeout)  # noqa: B023
        report(name, result)
        older = _older_link(view, user, path, data) if result is not None else None
        if older is not None:
            second = {**data, **older}
            result = measure(lambda: view(_request(user, path, second)), args.rounds, args.timeout)  # noqa: B023
            report("  its next page", result)


def _older_link(
    view: Callable[[object], HttpResponse], user: User, path: str, data: dict[str, str]
) -> dict[str, str] | None:
    """The query of the log's "older" link on its first page, if the view offers one."""
    if view is not trail_views.log:
        return None
    with transaction.atomic():
        response = view(_request(user, path, data))
        transaction.set_rollback(True)
    found = re.search(r'[?&]older=([^"&]+)', response.content.decode())
    return {"older": unquote(found.group(1))} if found else None


if __name__ == "__main__":
    main()

"""/halsa/: whether this application server can serve, for load balancers and monitoring.

200 when the database (and the replica, if any) answers and every migration is applied, else
503. The queue's state is reported but does not fail the check: a stopped worker delays
background reports, and taking every application server out of the load balancer for it
would stop the whole site. Monitoring should alert on `queue.ok`. Nothing secret is shown.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from internkontroll.lib.routers import replica_alias

# Migrations found applied stay applied while this process runs (a new release restarts it).
_migrated = False


def database_answers(alias: str) -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def migrations_applied() -> bool:
    global _migrated
    if not _migrated:
        try:
            executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError:
            return False
        _migrated = not plan
    return _migrated


def queue_state() -> dict[str, Any]:
    """How long the oldest task ready to run has waited: long means no worker takes tasks."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
        return {"ok": True, "waiting": 0, "oldest_waiting_seconds": 0}
    try:
        ready = DBTaskResult.objects.using(DEFAULT_DB_ALIAS).ready()
        waiting = ready.count()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", "run_after").first()
    except DatabaseError:
        return {"ok": False, "waiting": None, "oldest_waiting_seconds": None}
    age = 0
    if oldest is not None:
        enqueued_at, run_after = oldest
        since = enqueued_at if run_after == get_date_max() else max(enqueued_at, run_after)
        age = max(0, int((timezone.now() - since) / datetime.timedelta(seconds=1)))
    return {
        "ok": age <= settings.IK_QUEUE_MAX_WAIT_SECONDS,
        "waiting": waiting,
        "oldest_waiting_seconds": age,
    }


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    database = database_answers(DEFAULT_DB_ALIAS)
    checks: dict[str, Any] = {"database": database}
    replica = replica_alias()
    if replica is not None:
        checks["replica"] = database_answers(replica)
    checks["migrations"] = database and migrations_applied()
    checks["queue"] = queue_state() if database else {"ok": False}
    serving = all(value for name, value in checks.items() if name != "queue")
    status = ("ok" if checks["queue"]["ok"] else "degraded") if serving else "failing"
    return JsonResponse({"status": status, **checks}, status=200 if serving else 503)

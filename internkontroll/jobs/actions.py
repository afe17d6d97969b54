from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from internkontroll.jobs.models import ReportJob
from internkontroll.jobs.tasks import enqueue_report
from internkontroll.plans.models import ControlPlan


def request_report(
    plan: ControlPlan,
    *,
    kind: str,
    fmt: str,
    period_code: str | None,
    as_of: datetime.date | None,
    language: str,
    acting_user: Any,
) -> ReportJob:
    """The person's job for this report: the one already under way, or a new one on the queue.

    Asking again (a reload, a double click) while it is being made does not make it twice.
    """
    wanted = {
        "requested_by": acting_user,
        "plan": plan,
        "kind": kind,
        "format": fmt,
        "period_code": period_code or "",
        "as_of": as_of,
        "language": language,
    }
    under_way = ReportJob.objects.in_flight().filter(**wanted).order_by("-created_at").first()
    if under_way is not None:
        return under_way
    now = timezone.now()
    kept = datetime.timedelta(hours=settings.IK_REPORT_FILE_HOURS)
    job = ReportJob.objects.create(**wanted, created_at=now, expires_at=now + kept)
    enqueue_report(str(job.pk))
    job.refresh_from_db()  # made already, when tasks run in the request (IK_TASKS_IMMEDIATE)
    return job

"""Every task the worker runs (`ik db_worker`), in one place.

A task takes only ids and reads the rest from the database, so a delivery that comes twice or
late finds the work done, and a retry starts from what was recorded.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task

from internkontroll.jobs import reports


@task()
def make_report(job_id: str) -> str:
    """Make a report job's file; after an unexpected error, try again later, a few times."""
    outcome = reports.run(job_id)
    if outcome.retry_in is not None:
        enqueue_report(job_id, delay=outcome.retry_in)
    return outcome.status


def enqueue_report(job_id: str, delay: int = 0) -> None:
    queued = make_report
    if delay and queued.get_backend().supports_defer:
        queued = queued.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
    queued.enqueue(job_id)

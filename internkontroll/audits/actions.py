"""Writing audit reports, recommendations and their follow-ups: one write path for each."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.followups.models import FollowUp
from internkontroll.lib.identifiers import next_identifier
from internkontroll.lib.versioning import (
    ANY_VERSION,
    Version,
    bump_version,
    lock_current,
    lock_parent,
    save_versioned,
)


def _next_id(existing: Any, prefix: str) -> str:
    taken = existing.filter(external_id__startswith=f"{prefix}-").values_list(
        "external_id", flat=True
    )
    return next_identifier(prefix, taken)


@transaction.atomic
def create_audit_report(*, acting_user: Any, **values: Any) -> AuditReport:
    """Record an audit report addressed to a committee, in the committee's organisation."""
    organisation = lock_parent(values["unit"].organisation)
    year = (values.get("date") or timezone.localdate()).year
    values["external_id"] = _next_id(
        AuditReport.objects.filter(organisation=organisation), f"rev-{year}"
    )
    report = AuditReport(organisation=organisation)
    return save_versioned(report, values, version=ANY_VERSION, acting_user=acting_user)


@transaction.atomic
def update_audit_report(
    report: AuditReport, *, acting_user: Any, version: Version, **values: Any
) -> AuditReport:
    return save_versioned(report, values, version=version, acting_user=acting_user)


@transaction.atomic
def create_recommendation(
    report: AuditReport, *, acting_user: Any, **values: Any
) -> Recommendation:
    report = lock_parent(report)
    values["external_id"] = _next_id(report.recommendations.all(), "rek")
    recommendation = Recommendation(report=report)
    return save_versioned(recommendation, values, version=ANY_VERSION, acting_user=acting_user)


@transaction.atomic
def update_recommendation(
    recommendation: Recommendation, *, acting_user: Any, version: Version, **values: Any
) -> Recommendation:
    return save_versioned(recommendation, values, version=version, acting_user=acting_user)


@transaction.atomic
def follow_up_recommendation(
    recommendation: Recommendation, *, acting_user: Any, version: Version, **values: Any
) -> FollowUp:
    """Append a follow-up to a recommendation and move it to the status the follow-up reports."""
    recommendation = lock_current(Recommendation, recommendation.pk, version)
    follow_up = save_versioned(
        FollowUp(recommendation=recommendation),
        values,
        version=ANY_VERSION,
        acting_user=acting_user,
    )
    fields = []
    if follow_up.status != recommendation.status:
        recommendation.status = follow_up.status
        fields.append("status")
    bump_version(recommendation, acting_user, fields)
    return follow_up

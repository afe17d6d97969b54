"""Writing audit reports, recommendations and their follow-ups: one write path for each."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.followups.models import FollowUp
from internkontroll.lib.identifiers import next_identifier
from internkontroll.lib.versioning import StaleEdit


def loaded_token(obj: models.Model) -> str:
    """When the object was last saved, as recorded in its history: the form's version mark.

    The audit models have no `version` field, so the newest history entry stands in for it.
    """
    newest = obj.history.first()  # type: ignore[attr-defined]
    return newest.history_date.isoformat() if newest else ""


def _lock(model: type[Any], pk: int, loaded: str | None) -> Any:
    obj = model.objects.select_for_update().get(pk=pk)
    if loaded is not None and loaded_token(obj) != loaded:
        raise StaleEdit
    return obj


def _next_id(existing: Any, prefix: str) -> str:
    taken = existing.filter(external_id__startswith=f"{prefix}-").values_list(
        "external_id", flat=True
    )
    return next_identifier(prefix, taken)


def _save(obj: models.Model, acting_user: Any, fields: list[str] | None = None) -> None:
    obj._history_user = acting_user  # type: ignore[attr-defined]
    obj.full_clean()
    obj.save(update_fields=fields)


@transaction.atomic
def create_audit_report(*, acting_user: Any, **values: Any) -> AuditReport:
    """Record an audit report addressed to a committee, in the committee's organisation."""
    report = AuditReport(organisation=values["unit"].organisation, **values)
    year = (report.date or timezone.localdate()).year
    report.external_id = _next_id(
        AuditReport.objects.filter(organisation=report.organisation), f"rev-{year}"
    )
    _save(report, acting_user)
    return report


@transaction.atomic
def update_audit_report(
    report: AuditReport, *, acting_user: Any, loaded: str | None, **values: Any
) -> AuditReport:
    report = _lock(AuditReport, report.pk, loaded)
    for name, value in values.items():
        setattr(report, name, value)
    _save(report, acting_user, list(values))
    return report


@transaction.atomic
def create_recommendation(
    report: AuditReport, *, acting_user: Any, **values: Any
) -> Recommendation:
    recommendation = Recommendation(report=report, **values)
    recommendation.external_id = _next_id(report.recommendations.all(), "rek")
    _save(recommendation, acting_user)
    return recommendation


@transaction.atomic
def update_recommendation(
    recommendation: Recommendation, *, acting_user: Any, loaded: str | None, **values: Any
) -> Recommendation:
    recommendation = _lock(Recommendation, recommendation.pk, loaded)
    for name, value in values.items():
        setattr(recommendation, name, value)
    _save(recommendation, acting_user, list(values))
    return recommendation


@transaction.atomic
def follow_up_recommendation(
    recommendation: Recommendation, *, acting_user: Any, loaded: str | None, **values: Any
) -> FollowUp:
    """Append a follow-up to a recommendation and move it to the status the follow-up reports."""
    recommendation = _lock(Recommendation, recommendation.pk, loaded)
    follow_up = FollowUp(recommendation=recommendation, **values)
    _save(follow_up, acting_user)
    if follow_up.status != recommendation.status:
        recommendation.status = follow_up.status
        _save(recommendation, acting_user, ["status"])
    return follow_up

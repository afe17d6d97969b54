"""Writes of an organisation's Word template: each in a transaction, each recorded in history."""

from __future__ import annotations

from typing import Any

from django.core.files import File
from django.db import transaction

from internkontroll.organisation.models import Organisation
from internkontroll.reports.models import ReportTemplate


def replace_template(organisation: Organisation, file: File, *, acting_user: Any) -> ReportTemplate:
    """Make `file` the organisation's template, in place of the one it had, if any.

    The earlier file stays in storage, as the template's history refers to it.
    """
    with transaction.atomic():
        template = ReportTemplate.objects.select_for_update().filter(
            organisation=organisation
        ).first() or ReportTemplate(organisation=organisation)
        template.file = file
        template.full_clean()
        template._history_user = acting_user  # type: ignore[attr-defined]
        template.save()
    return template


def remove_template(organisation: Organisation, *, acting_user: Any) -> bool:
    """Write the organisation's reports on the default template again; False if it had none."""
    with transaction.atomic():
        template = (
            ReportTemplate.objects.select_for_update().filter(organisation=organisation).first()
        )
        if template is None:
            return False
        template._history_user = acting_user  # type: ignore[attr-defined]
        template.delete()
    return True

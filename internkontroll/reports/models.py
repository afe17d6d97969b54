from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from internkontroll.organisation.models import Organisation


def validate_docx_template(file: Any) -> None:
    """Refuse, at upload, a file that cannot be the base of the organisation's Word reports."""
    from internkontroll.reports.render.docx import validate_template

    problems = validate_template(file)
    if problems:
        raise ValidationError(problems)


class ReportTemplate(models.Model):
    """An organisation's own Word document (logo, fonts, margins) that its reports are built on."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="report_template",
    )
    file = models.FileField(
        _("Word template"), upload_to="report-templates/", validators=[validate_docx_template]
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")

    def __str__(self) -> str:
        return str(self.organisation)

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from internkontroll.plans.models import ControlPlan


def upload_path(instance: PendingWorkbook, filename: str) -> str:
    # A random name: never the name the person's file had.
    return f"workbooks/{uuid.uuid4().hex}.xlsx"


class PendingWorkbook(models.Model):
    """An uploaded workbook waiting for its uploader to look at the preview and apply it."""

    plan = models.ForeignKey(
        ControlPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    file = models.FileField(_("file"), upload_to=upload_path)
    name = models.CharField(_("file name"), max_length=255)

    class Meta:
        verbose_name = _("uploaded workbook")
        verbose_name_plural = _("uploaded workbooks")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.name

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from internkontroll.followups.evidence import XLSX, check_evidence
from internkontroll.workbooks.reader import MAX_BYTES, Refused, inspect_package


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook"),
        help_text=_("An Excel workbook (.xlsx) downloaded from this plan, or the empty template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_BYTES:
            raise ValidationError(
                gettext("The file is %(size)s MB; the largest workbook accepted is %(max)s MB.")
                % {"size": _mb(upload.size), "max": _mb(MAX_BYTES)}
            )
        kind = check_evidence(upload)  # its content decides its type; macros are refused
        if kind.mime != XLSX:
            raise ValidationError(
                gettext(
                    "%(name)s is not an Excel workbook (.xlsx). Save it in Excel as “Excel "
                    "Workbook (.xlsx)” and upload it again."
                )
                % {"name": upload.name}
            )
        try:
            inspect_package(upload.file)  # type: ignore[arg-type]
        except Refused as refused:
            raise ValidationError([str(problem) for problem in refused.problems]) from None
        return upload


def _mb(size: Any) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")

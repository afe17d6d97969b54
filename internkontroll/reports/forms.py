from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from internkontroll.reports.render.docx import MAX_TEMPLATE_BYTES, validate_template


class ReportTemplateForm(forms.Form):
    """An organisation's Word template: refused, with the reason in Swedish, if it cannot serve."""

    file = forms.FileField(
        label=_("Word template"),
        help_text=_("A Word document (.docx) or Word template (.dotx) of at most 10 MB."),
        widget=forms.FileInput(attrs={"accept": ".docx,.dotx"}),
    )

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        if file.size > MAX_TEMPLATE_BYTES:
            raise ValidationError(gettext("The template is larger than 10 MB."))
        problems = validate_template(file)
        if problems:
            raise ValidationError(problems)
        return file

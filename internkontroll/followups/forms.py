from __future__ import annotations

from typing import Any, cast

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from internkontroll.followups.models import FollowUp
from internkontroll.organisation.models import Period
from internkontroll.risks.models import Progress

ON_TRACK_CHOICES = [("", _("Not stated")), ("yes", _("Yes")), ("no", _("No"))]


class FollowUpForm(forms.ModelForm):
    """A follow-up on an action (status, on track) or a control activity (result)."""

    on_track = forms.TypedChoiceField(
        label=_("On track"),
        choices=ON_TRACK_CHOICES,
        required=False,
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = FollowUp
        fields = ["period", "date", "status", "on_track", "result", "comment"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "comment": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, subject: str, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["period"]).queryset = Period.objects.filter(
            organisation=organisation
        )
        self.fields["period"].required = True
        self.fields["date"].initial = timezone.localdate()
        self.fields["comment"].required = True
        self.fields["evidence"] = EvidenceField(
            label=_("Evidence files"),
            required=False,
            help_text=_("PDF, Office documents or images, at most %(max)s MB each.")
            % {"max": settings.IK_EVIDENCE_MAX_BYTES // (1024 * 1024)},
        )
        if subject == "action":
            del self.fields["result"]
            cast(forms.ChoiceField, self.fields["status"]).choices = Progress.choices
            self.fields["status"].required = True
        else:
            del self.fields["status"]
            del self.fields["on_track"]
            self.fields["result"].required = True
            cast(forms.ChoiceField, self.fields["result"]).choices = FollowUp.Result.choices

    def values(self) -> dict[str, Any]:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("version", "evidence")
        }


ALLOWED_EVIDENCE_TYPES = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/vnd.oasis.opendocument.text": "OpenDocument",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WebP",
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files at once; each checked for size and, by its content, for type."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={
                    "accept": ".pdf,.docx,.xlsx,.pptx,.odt,.ods,.png,.jpg,.jpeg,.gif,.webp",
                }
            ),
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        errors = []
        for upload in files:
            upload = super().clean(upload, initial)
            problem = evidence_problem(upload)
            if problem:
                errors.append(problem)
        if errors:
            raise ValidationError(errors)
        return list(files)


def evidence_problem(upload: UploadedFile) -> str | None:
    limit = settings.IK_EVIDENCE_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        return str(
            _("%(name)s is %(size)s MB; files may be at most %(max)s MB.")
            % {"name": upload.name, "size": _mb(upload.size), "max": _mb(limit)}
        )
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_EVIDENCE_TYPES:
        return str(_("%(name)s is not a PDF, Office document or image.") % {"name": upload.name})
    upload.content_type = kind.mime
    return None


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")

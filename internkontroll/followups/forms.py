from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from internkontroll.followups.evidence import (
    ACCEPTED,
    accepted_types,
    check_evidence,
    display_name,
)
from internkontroll.followups.models import FollowUp
from internkontroll.lib.versioning import CarriesVersion, version_field
from internkontroll.organisation.models import Period
from internkontroll.risks.models import Progress

ON_TRACK_CHOICES = [("", _("Not stated")), ("yes", _("Yes")), ("no", _("No"))]


class FollowUpForm(CarriesVersion, forms.ModelForm):
    """A follow-up on an action (status, on track) or a control activity (result)."""

    on_track = forms.TypedChoiceField(
        label=_("On track"),
        choices=ON_TRACK_CHOICES,
        required=False,
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
    )
    version = version_field()

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
        self.fields["comment"].required = True
        self.fields["evidence"] = EvidenceField(
            label=_("Evidence files"),
            required=False,
            help_text=_("%(types)s, at most %(max)s MB each. Files with macros are not accepted.")
            % {"types": accepted_types(), "max": settings.IK_EVIDENCE_MAX_BYTES // (1024 * 1024)},
        )
        if subject == "action":
            del self.fields["result"]
            cast(forms.ChoiceField, self.fields["status"]).choices = Progress.choices
            self.fields["status"].required = True
        elif subject == "risk":
            # A risk's follow-up says whether its handling follows the plan, and why.
            for name in ("status", "result", "evidence"):
                del self.fields[name]
            on_track = cast(forms.TypedChoiceField, self.fields["on_track"])
            on_track.label = _("Does the risk's handling follow the plan?")
            on_track.choices = ON_TRACK_CHOICES[1:]
            on_track.widget = forms.RadioSelect(choices=ON_TRACK_CHOICES[1:])
            on_track.required = True
            on_track.error_messages["required"] = _(
                "Answer whether the risk's handling follows the plan: yes or no."
            )
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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files at once, each accepted only if its content is of an accepted type.

    Each file is given the name and content type of what its content showed it to be.
    """

    def __init__(self, **kwargs: Any) -> None:
        accept = ",".join(
            f".{extension}" for kind in ACCEPTED.values() for extension in kind.extensions
        )
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        errors = []
        for upload in files:
            upload = super().clean(upload, initial)
            try:
                kind = check_evidence(upload)
            except ValidationError as refused:
                errors.extend(refused.messages)
                continue
            upload.name = display_name(upload.name or "", kind)
            upload.content_type = kind.mime
        if errors:
            raise ValidationError(errors)
        return list(files)

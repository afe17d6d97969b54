from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from internkontroll.controls.occurrences import Occurrence, schedule_of, suggested
from internkontroll.followups.evidence import (
    ACCEPTED,
    accepted_types,
    check_evidence,
    display_name,
)
from internkontroll.followups.models import FollowUp
from internkontroll.lib.versioning import CarriesVersion, version_field
from internkontroll.lib.widgets import Select
from internkontroll.organisation.models import Period
from internkontroll.risks.models import Progress


def occurrence_label(occurrence: Occurrence, reported: set[datetime.date]) -> str:
    """ "Tertial 1: senast 2026-01-31", marked when it already has a result."""
    text = _("%(period)s: due %(date)s") % {
        "period": occurrence.period.name,
        "date": occurrence.due.isoformat(),
    }
    return f"{text} ({_('reported')})" if occurrence.due in reported else str(text)


ON_TRACK_CHOICES = [("", _("Not stated")), ("yes", _("Yes")), ("no", _("No"))]


class FollowUpForm(CarriesVersion, forms.ModelForm):
    """A follow-up on an action (status, on track) or a control activity (result)."""

    on_track = forms.TypedChoiceField(
        label=_("On track"),
        choices=ON_TRACK_CHOICES,
        required=False,
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        widget=Select,
    )
    version = version_field()

    class Meta:
        model = FollowUp
        fields = ["period", "date", "status", "on_track", "result", "comment"]
        widgets = {
            "period": Select,
            "status": Select,
            "result": Select,
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
            self._add_occurrence(self.instance.control_activity)

    def _add_occurrence(self, activity: Any) -> None:
        """A control activity's result is for one of its occurrences, which names the period.

        A period sent without an occurrence (as before occurrences existed) is still taken: the
        result then stands for the whole period.
        """
        self.schedule = schedule_of(activity)
        if not self.schedule:  # an organisation without periods
            return
        reported = set(
            activity.follow_ups.exclude(occurrence=None).values_list("occurrence", flat=True)
        )
        self.fields["period"].required = False
        self.fields["period"].widget = forms.HiddenInput()
        sent_period_only = bool(
            self.data.get(self.add_prefix("period"))
            and not self.data.get(self.add_prefix("occurrence"))
        )
        self.fields["occurrence"] = forms.TypedChoiceField(
            label=_("Occurrence"),
            choices=[(o.due.isoformat(), occurrence_label(o, reported)) for o in self.schedule],
            coerce=datetime.date.fromisoformat,
            empty_value=None,
            widget=Select,
            required=not sent_period_only,
            help_text=_("The time the control was due, and the period it is reported in."),
            error_messages={
                "required": _("Choose the occurrence the result is for."),
                "invalid_choice": _("Choose one of the control's occurrences."),
            },
        )
        period = self.initial.pop("period", None)
        chosen = suggested(
            self.schedule,
            reported,
            timezone.localdate(),
            getattr(period, "pk", period) if period else None,
        )
        if chosen is not None:
            self.initial["occurrence"] = chosen.due.isoformat()
        self.order_fields(["occurrence"])

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        if "occurrence" not in self.fields:
            return cleaned_data
        due = cleaned_data.get("occurrence")
        if due is not None:
            cleaned_data["period"] = next(o.period for o in self.schedule if o.due == due)
        return cleaned_data

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

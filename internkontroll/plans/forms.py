from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from internkontroll.plans.models import Assessment, ControlPlan

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _not_in_future(day: datetime.date | None) -> datetime.date | None:
    if day is not None and day > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return day


class AdoptionForm(forms.Form):
    """The committee's adoption decision; the hidden fields hold what the page showed."""

    adopted_on = forms.DateField(label=_("Adopted on"), widget=DATE_WIDGET)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=100,
        help_text=_("The decision's diarienummer, e.g. SN-2024/259."),
    )
    shown_adopted_on = forms.DateField(widget=forms.HiddenInput, required=False)
    shown_reference = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, plan: ControlPlan, **kwargs: Any) -> None:
        shown = {"adopted_on": plan.adopted_on, "reference": plan.reference}
        kwargs.setdefault("initial", {**shown, **{f"shown_{k}": v for k, v in shown.items()}})
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean_adopted_on(self) -> datetime.date | None:
        return _not_in_future(self.cleaned_data["adopted_on"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        unchanged = (
            cleaned.get("adopted_on") == self.plan.adopted_on
            and cleaned.get("reference") == self.plan.reference
        )
        if self.plan.adopted_on and unchanged:
            raise forms.ValidationError(
                _(
                    "The plan is already adopted with this date and reference. Change them to "
                    "record a new adoption."
                )
            )
        return cleaned

    def shown(self) -> tuple[datetime.date | None, str]:
        """The adoption the user saw when the page was made, to refuse overwriting a newer one."""
        return self.cleaned_data["shown_adopted_on"], self.cleaned_data["shown_reference"]


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["verdict", "decided_on", "analysis"]
        widgets = {"decided_on": DATE_WIDGET, "analysis": forms.Textarea(attrs={"rows": 10})}
        help_texts = {
            "decided_on": _("The day the committee decided the assessment, if it has."),
            "analysis": _("Why the internal control was or was not sufficient."),
        }

    def __init__(self, *args: Any, plan: ControlPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["verdict"].required = True
        self.fields["analysis"].required = True

    def clean_decided_on(self) -> datetime.date | None:
        day = _not_in_future(self.cleaned_data["decided_on"])
        if day is not None and day.year < self.plan.year:
            raise forms.ValidationError(
                _("The assessment cannot be decided before the year it assesses.")
            )
        return day

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from internkontroll.lib.versioning import CarriesVersion, VersionedForm, version_field
from internkontroll.plans.models import Assessment, ControlPlan

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AdoptionForm(CarriesVersion, forms.Form):
    """The committee's adoption decision; `version` is the plan the page showed."""

    adopted_on = forms.DateField(label=_("Adopted on"), widget=DATE_WIDGET)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=100,
        help_text=_("The decision's diarienummer, e.g. SN-2024/259."),
    )
    version = version_field()

    def __init__(self, *args: Any, plan: ControlPlan, **kwargs: Any) -> None:
        shown = {"adopted_on": plan.adopted_on, "reference": plan.reference}
        kwargs.setdefault("initial", {**shown, "version": plan.version})
        super().__init__(*args, **kwargs)
        self.plan = plan

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


class AssessmentForm(VersionedForm):
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

    def values(self) -> dict[str, Any]:
        return {
            "version": self.cleaned_data.get("version"),
            **{name: self.cleaned_data[name] for name in self.Meta.fields},
        }

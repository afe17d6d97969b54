from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from internkontroll.lib.versioning import CarriesVersion, version_field
from internkontroll.nominations.models import Nomination
from internkontroll.organisation.models import Process, RiskArea, Unit
from internkontroll.risks.forms import cell_choices, split_cell


class NominationForm(forms.ModelForm):
    """A proposed risk for one plan; the assessment is a cell of the plan's matrix."""

    cell = forms.ChoiceField(
        label=_("Assessment"),
        required=False,
        help_text=_("The unit's assessment: probability × consequence on the plan's matrix."),
    )

    class Meta:
        model = Nomination
        fields = [
            "unit",
            "title",
            "area",
            "process",
            "description",
            "consequence_description",
            "existing_controls",
            "cell",
            "motivation",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in (
                "description",
                "consequence_description",
                "existing_controls",
                "motivation",
            )
        }

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        """`units`: the units the person may propose for, within the plan's committee."""
        super().__init__(*args, **kwargs)
        nomination: Nomination = self.instance
        plan = nomination.plan
        organisation_id = plan.unit.organisation_id
        cast(forms.ChoiceField, self.fields["cell"]).choices = cell_choices(plan.risk_matrix)
        unit_field = cast(forms.ModelChoiceField, self.fields["unit"])
        unit_field.queryset = units.order_by("name")
        unit_field.empty_label = None
        if nomination.source_risk_id is not None:
            # A marked risk is proposed by the unit that identified it.
            unit_field.queryset = Unit.objects.filter(pk=nomination.unit_id)
            unit_field.disabled = True
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = RiskArea.objects.filter(
            organisation_id=organisation_id
        ).order_by("name")
        cast(forms.ModelChoiceField, self.fields["process"]).queryset = Process.objects.filter(
            organisation_id=organisation_id
        ).order_by("name")
        if nomination.is_assessed:
            self.initial["cell"] = f"{nomination.probability}-{nomination.consequence}"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["probability"], data["consequence"] = split_cell(data.get("cell") or "")
        data["source_risk"] = self.instance.source_risk
        return data

    def _post_clean(self) -> None:
        # The assessment is applied to the instance before the model's own validation runs.
        for name in ("probability", "consequence"):
            setattr(self.instance, name, self.cleaned_data.get(name))
        super()._post_clean()  # type: ignore[misc]


class AcceptForm(CarriesVersion, forms.Form):
    version = version_field()
    comment = forms.CharField(
        label=_("Comment to the unit"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReturnForm(CarriesVersion, forms.Form):
    version = version_field()
    reason = forms.CharField(
        label=_("Why it is returned"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Say why the proposal is returned, so that the unit can act on it.")
        },
    )


class WithdrawForm(CarriesVersion, forms.Form):
    version = version_field()

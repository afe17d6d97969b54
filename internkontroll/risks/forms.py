from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from internkontroll.risks.models import Handling, Progress, Risk


class RiskFilterForm(forms.Form):
    """The risk list's filters; they live in the URL so a filtered view can be shared."""

    q = forms.CharField(
        label=_("Free text"), required=False, widget=forms.TextInput(attrs={"type": "search"})
    )
    area = forms.ChoiceField(label=_("Risk area"), required=False)
    process = forms.ChoiceField(label=_("Process"), required=False)
    level = forms.ChoiceField(label=_("Risk level"), required=False)
    handling = forms.ChoiceField(
        label=_("Handling"), required=False, choices=[("", _("All")), *Handling.choices]
    )
    action_status = forms.ChoiceField(
        label=_("Action status"),
        required=False,
        choices=[("", _("All")), *Progress.choices, ("overdue", _("overdue"))],
    )
    unit = forms.ChoiceField(label=_("Identified by"), required=False)
    cell = forms.RegexField(regex=r"^\d-\d$", required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, risks: list[Risk], levels: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every: list[tuple[str, Any]] = [("", _("All"))]
        cast(forms.ChoiceField, self.fields["area"]).choices = every + sorted(
            {(str(r.area_id), r.area.name) for r in risks if r.area}, key=lambda c: c[1]
        )
        cast(forms.ChoiceField, self.fields["process"]).choices = every + sorted(
            {(str(r.process_id), r.process.name) for r in risks if r.process}, key=lambda c: c[1]
        )
        cast(forms.ChoiceField, self.fields["unit"]).choices = every + sorted(
            {(str(r.unit_id), r.unit.name) for r in risks if r.unit}, key=lambda c: c[1]
        )
        cast(forms.ChoiceField, self.fields["level"]).choices = every + [
            (name, name) for name in levels
        ]

    def apply(self, risks: list[Risk], today: Any) -> list[Risk]:
        data = self.cleaned_data if self.is_valid() else {}
        text = (data.get("q") or "").casefold()
        result = []
        for risk in risks:
            level = risk.level
            if (
                text
                and text
                not in " ".join(
                    [
                        risk.title,
                        risk.description,
                        risk.consequence_description,
                        risk.existing_controls,
                        risk.planned_handling,
                    ]
                ).casefold()
            ):
                continue
            if data.get("area") and str(risk.area_id) != data["area"]:
                continue
            if data.get("process") and str(risk.process_id) != data["process"]:
                continue
            if data.get("unit") and str(risk.unit_id) != data["unit"]:
                continue
            if data.get("level") and (level is None or level.name != data["level"]):
                continue
            if data.get("handling") and data["handling"] not in risk.handling:
                continue
            status = data.get("action_status")
            if status == "overdue" and not any(a.is_overdue(today) for a in risk.actions.all()):
                continue
            if (
                status
                and status != "overdue"
                and not any(a.status == status for a in risk.actions.all())
            ):
                continue
            result.append(risk)
        return result

    def selected_cell(self) -> tuple[int, int] | None:
        if not self.is_valid() or not self.cleaned_data.get("cell"):
            return None
        p, c = self.cleaned_data["cell"].split("-")
        return int(p), int(c)

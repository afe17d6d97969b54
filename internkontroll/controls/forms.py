from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from internkontroll.accounts.queries import assignable_people
from internkontroll.controls.models import TEXT_FIELDS, ControlActivity
from internkontroll.lib.versioning import VersionedForm
from internkontroll.organisation.models import Period
from internkontroll.risks.models import Risk


class ControlActivityForm(VersionedForm):
    class Meta:
        model = ControlActivity
        fields = [*TEXT_FIELDS, "assignee", "periods", "due_date"]
        widgets = {
            "working_method": forms.Textarea(attrs={"rows": 3}),
            "systematic_control": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "periods": forms.CheckboxSelectMultiple,
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "working_method": _("The routine (arbetssätt)."),
            "systematic_control": _("The ongoing check built into the routine."),
            "description": _("Who checks that the systematic control was done, and when."),
            "sample": _("For example: 15 randomly chosen payments per period."),
            "responsible": _("A role, such as Controller."),
        }

    def __init__(self, *args: Any, risk: Risk, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = risk.plan.unit.organisation
        cast(
            forms.ModelMultipleChoiceField, self.fields["periods"]
        ).queryset = Period.objects.filter(organisation=organisation)
        units = [risk.plan.unit] + ([risk.unit] if risk.unit else [])
        assignee = cast(forms.ModelChoiceField, self.fields["assignee"])
        assignee.queryset = assignable_people(units, self.instance.assignee_id)

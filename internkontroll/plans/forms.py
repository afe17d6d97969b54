from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from internkontroll.lib.versioning import CarriesVersion, VersionedForm, version_field
from internkontroll.organisation.models import Unit
from internkontroll.plans.lifecycle import Step
from internkontroll.plans.models import Assessment, ControlPlan
from internkontroll.plans.rollover import Choice
from internkontroll.risks.models import RolloverDecision

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


LATER = "later"
Decision = RolloverDecision.Decision


class RolloverForm(forms.Form):
    """One row per undecided risk of last year: carry over, close (why) or merge (into which)."""

    def __init__(self, *args: Any, risks: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.risks = risks
        self.by_external_id = {risk.external_id: risk for risk in risks}
        decisions = [
            *Decision.choices,
            (LATER, _("decide later")),
        ]
        for risk in risks:
            if risk.decided is not None:
                continue
            self.fields[f"decision-{risk.pk}"] = forms.ChoiceField(
                label=_("Decision for %(risk)s") % {"risk": risk.title},
                choices=decisions,
                initial=Decision.CARRY,
            )
            self.fields[f"reason-{risk.pk}"] = forms.CharField(
                label=_("Reason for %(risk)s") % {"risk": risk.title},
                required=False,
                max_length=2000,
                widget=forms.TextInput(attrs={"size": 24}),
            )
            self.fields[f"into-{risk.pk}"] = forms.CharField(
                label=_("Merge %(risk)s into (identifier)") % {"risk": risk.title},
                required=False,
                max_length=100,
                widget=forms.TextInput(attrs={"list": "rollover-risks", "size": 8}),
            )
            risk.fields = [self[f"{name}-{risk.pk}"] for name in ("decision", "reason", "into")]

    def choices(self) -> dict[int, Choice]:
        """The decisions asked for, by risk pk; "decide later" and decided risks left out."""
        chosen: dict[int, Choice] = {}
        for risk in self.risks:
            decision = self.cleaned_data.get(f"decision-{risk.pk}")
            if risk.decided is not None or decision in (None, LATER):
                continue
            into = (self.cleaned_data.get(f"into-{risk.pk}") or "").strip()
            chosen[risk.pk] = Choice(
                decision=decision,
                reason=self.cleaned_data.get(f"reason-{risk.pk}") or "",
                into=self.by_external_id.get(into) if decision == Decision.MERGE else None,
            )
        return chosen

    def add_problems(self, problems: dict[int | None, str]) -> None:
        for pk, problem in problems.items():
            name = f"reason-{pk}" if f"reason-{pk}" in self.fields else None
            if name and f"into-{pk}" in self.fields and self.data.get(f"decision-{pk}") == "merge":
                name = f"into-{pk}"
            self.add_error(name, problem)


class LifecycleForm(CarriesVersion, forms.Form):
    """A step in the plan's lifecycle; `version` is the plan the page showed."""

    step = forms.ChoiceField(choices=[(step, step) for step in Step.ALL])
    version = version_field()


# How far from this year a new plan may lie: last year's, to record it, up to a few ahead.
YEARS_BACK = 1
YEARS_AHEAD = 2


class PlanCreationForm(forms.Form):
    """A committee's plan for a year it has none for; `committees` are those the user writes."""

    unit = forms.ModelChoiceField(
        label=_("Committee"),
        queryset=Unit.objects.none(),
        empty_label=_("Choose a committee"),
        error_messages={
            "required": _("Choose the committee the plan is for."),
            "invalid_choice": _("Choose one of the committees whose plans you keep."),
        },
    )
    year = forms.IntegerField(
        label=_("Year"),
        error_messages={
            "required": _("Give the year the plan is for."),
            "invalid": _("Give the year as a number, e.g. 2026."),
        },
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=100,
        required=False,
        help_text=_("The diarienummer, if the plan has one already, e.g. SN-2024/259."),
    )

    def __init__(self, *args: Any, committees: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.this_year = timezone.localdate().year
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = committees
        self.fields["year"].widget.attrs.update(
            min=self.this_year - YEARS_BACK, max=self.this_year + YEARS_AHEAD
        )
        self.fields["year"].help_text = _("From %(first)s to %(last)s.") % {
            "first": self.this_year - YEARS_BACK,
            "last": self.this_year + YEARS_AHEAD,
        }

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        first, last = self.this_year - YEARS_BACK, self.this_year + YEARS_AHEAD
        if not first <= year <= last:
            raise forms.ValidationError(
                _("A new plan can be made for %(first)s to %(last)s, not for %(year)s."),
                params={"first": first, "last": last, "year": year},
            )
        return year

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        unit, year = cleaned.get("unit"), cleaned.get("year")
        if unit is not None and year is not None and unit.plans.filter(year=year).exists():
            self.add_error(
                "year",
                _("%(committee)s already has a plan for %(year)s. Choose another year.")
                % {"committee": unit.name, "year": year},
            )
        return cleaned


def default_year(unit: Unit | None) -> int:
    """This year, unless the committee already has a plan for it: then the next year."""
    this_year = timezone.localdate().year
    if unit is not None and unit.plans.filter(year=this_year).exists():
        return this_year + 1
    return this_year

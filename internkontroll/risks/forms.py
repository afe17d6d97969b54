from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from internkontroll.accounts.queries import ancestors_and_self, users_who_see
from internkontroll.audits.models import Recommendation
from internkontroll.lib.versioning import VersionedForm
from internkontroll.organisation.models import Goal, Process, RiskArea, RiskMatrix, Unit
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.models import Action, Handling, Progress, Risk


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
    identified_by = forms.ChoiceField(label=_("Identified by"), required=False)
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
        cast(forms.ChoiceField, self.fields["identified_by"]).choices = every + sorted(
            {(str(r.unit_id), r.unit.name) for r in risks if r.unit}, key=lambda c: c[1]
        )
        cast(forms.ChoiceField, self.fields["level"]).choices = every + [
            (name, name) for name in levels
        ]

    def apply(self, risks: list[Risk], today: Any) -> list[Risk]:
        self.is_valid()  # an invalid filter is ignored; the valid ones still apply
        data = self.cleaned_data
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
            if data.get("identified_by") and str(risk.unit_id) != data["identified_by"]:
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
        self.is_valid()
        if not self.cleaned_data.get("cell"):
            return None
        p, c = self.cleaned_data["cell"].split("-")
        return int(p), int(c)


UNASSESSED = ""


def cell_choices(matrix: RiskMatrix) -> list[tuple[str, str]]:
    return [(UNASSESSED, str(_("Not assessed")))] + [
        (
            f"{p}-{c}",
            f"{matrix.probability_labels[p - 1]} × {matrix.consequence_labels[c - 1]} "
            f"({matrix.level_for(p, c).name})",
        )
        for p in range(1, matrix.probability_size + 1)
        for c in range(1, matrix.consequence_size + 1)
    ]


def split_cell(value: str) -> tuple[int | None, int | None]:
    """A cell "p-c" as numbers; anything else (no choice, or a tampered value) is no cell."""
    p, dash, c = value.partition("-")
    if not (dash and p.isdecimal() and c.isdecimal()):
        return None, None
    return int(p), int(c)


class RiskForm(VersionedForm):
    """A risk and its assessment; the assessment is a cell of the plan's matrix."""

    area_name = forms.CharField(
        label=_("Risk area"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"list": "area-names"}),
        help_text=_("Choose an existing area or write a new one."),
    )
    process_name = forms.CharField(
        label=_("Process"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"list": "process-names"}),
    )
    cell = forms.ChoiceField(label=_("Assessment"), required=False)
    target_cell = forms.ChoiceField(
        label=_("Target assessment"),
        required=False,
        help_text=_("Where the committee wants the risk once the actions are done."),
    )
    handling = forms.MultipleChoiceField(
        label=_("Handling"),
        choices=Handling.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Risk
        fields = [
            "title",
            "unit",
            "area_name",
            "process_name",
            "goal",
            "description",
            "consequence_description",
            "existing_controls",
            "cell",
            "target_cell",
            "handling",
            "planned_handling",
            "recommendations",
        ]
        widgets: dict[str, Any] = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in (
                "description",
                "consequence_description",
                "existing_controls",
                "planned_handling",
            )
        }
        widgets["recommendations"] = forms.CheckboxSelectMultiple

    def __init__(self, *args: Any, plan: ControlPlan, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        matrix = plan.risk_matrix
        choices = cell_choices(matrix)
        cast(forms.ChoiceField, self.fields["cell"]).choices = choices
        cast(forms.ChoiceField, self.fields["target_cell"]).choices = choices
        organisation = plan.unit.organisation
        subtree = Unit.objects.filter(pk__in=plan.unit.subtree_ids())
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = subtree.order_by("name")
        # Goals of the committee, of the units above it (KF-mål) or of the whole organisation.
        line = ancestors_and_self([plan.unit]) | set(subtree.values_list("pk", flat=True))
        risk = self.instance
        cast(forms.ModelChoiceField, self.fields["goal"]).queryset = (
            Goal.objects.filter(organisation=organisation)
            .filter(Q(unit__isnull=True) | Q(unit_id__in=line))
            .filter(Q(year=plan.year) | Q(year__isnull=True))
            | Goal.objects.filter(pk=risk.goal_id or 0)
        ).order_by("external_id")
        # Only recommendations the user may read, plus those the risk already names.
        recommendations = cast(forms.ModelMultipleChoiceField, self.fields["recommendations"])
        recommendations.queryset = (
            (
                Recommendation.objects.for_user(user).filter(report__organisation=organisation)
                | Recommendation.objects.filter(risks=risk.pk or 0)
            )
            .select_related("report")
            .distinct()
        )
        if risk.pk:
            self.initial.update(
                area_name=risk.area.name if risk.area else "",
                process_name=risk.process.name if risk.process else "",
                cell=f"{risk.probability}-{risk.consequence}" if risk.is_assessed else "",
                target_cell=(
                    f"{risk.target_probability}-{risk.target_consequence}"
                    if risk.target_probability
                    else ""
                ),
            )
        self.area_names = list(
            RiskArea.objects.filter(organisation=organisation).values_list("name", flat=True)
        )
        self.process_names = list(
            Process.objects.filter(organisation=organisation).values_list("name", flat=True)
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["probability"], data["consequence"] = split_cell(data.get("cell") or "")
        data["target_probability"], data["target_consequence"] = split_cell(
            data.get("target_cell") or ""
        )
        return data

    def _post_clean(self) -> None:
        # The assessment is applied to the instance before the model's own validation runs.
        for name in ("probability", "consequence", "target_probability", "target_consequence"):
            setattr(self.instance, name, self.cleaned_data.get(name))
        super()._post_clean()  # type: ignore[misc]

    def matrix_rows(self) -> list[Any]:
        from internkontroll.risks.matrix import grid

        selected = split_cell(str(self["cell"].value() or ""))
        chosen = selected if selected[0] is not None else None
        return grid(self.plan.risk_matrix, [], chosen)  # type: ignore[arg-type]


class ActionForm(VersionedForm):
    class Meta:
        model = Action
        fields = ["title", "description", "responsible", "assignee", "due_date", "status"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"responsible": _("A role, such as Enhetschef.")}

    def __init__(self, *args: Any, risk: Risk, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = [risk.plan.unit] + ([risk.unit] if risk.unit else [])
        cast(forms.ModelChoiceField, self.fields["assignee"]).queryset = users_who_see(units)

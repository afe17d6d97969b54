from __future__ import annotations

import datetime
from functools import reduce
from operator import or_
from typing import Any, cast

from django import forms
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from internkontroll.accounts.queries import ancestors_and_self, assignable_people
from internkontroll.audits.models import Recommendation
from internkontroll.lib.versioning import VersionedForm
from internkontroll.lib.widgets import Select
from internkontroll.organisation.models import Goal, Process, RiskArea, RiskMatrix, Unit
from internkontroll.plans.models import ControlPlan
from internkontroll.risks import queries
from internkontroll.risks.models import Action, Handling, Progress, Risk
from internkontroll.risks.queries import FilterChoices


class RiskFilterForm(forms.Form):
    """The risk list's filters and order; they live in the URL so a view can be shared."""

    q = forms.CharField(
        label=_("Free text"), required=False, widget=forms.TextInput(attrs={"type": "search"})
    )
    area = forms.ChoiceField(label=_("Risk area"), required=False, widget=Select)
    process = forms.ChoiceField(label=_("Process"), required=False, widget=Select)
    level = forms.ChoiceField(label=_("Risk level"), required=False, widget=Select)
    handling = forms.ChoiceField(
        label=_("Handling"),
        required=False,
        choices=[("", _("All")), *Handling.choices],
        widget=Select,
    )
    action_status = forms.ChoiceField(
        label=_("Action status"),
        required=False,
        choices=[("", _("All")), *Progress.choices, ("overdue", _("overdue"))],
        widget=Select,
    )
    identified_by = forms.ChoiceField(label=_("Identified by"), required=False, widget=Select)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("", _("Risk area")),
            ("level", _("Level, highest first")),
            ("title", _("Title")),
        ],
        widget=Select,
    )
    cell = forms.RegexField(regex=r"^\d-\d$", required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, choices: FilterChoices, matrix: RiskMatrix, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.matrix = matrix
        every: list[tuple[str, Any]] = [("", _("All"))]
        cast(forms.ChoiceField, self.fields["area"]).choices = every + choices.areas
        cast(forms.ChoiceField, self.fields["process"]).choices = every + choices.processes
        cast(forms.ChoiceField, self.fields["identified_by"]).choices = every + choices.units
        cast(forms.ChoiceField, self.fields["level"]).choices = every + [
            (level.name, level.name) for level in matrix.level_objects()
        ]
        self.is_valid()  # an invalid filter is ignored; the valid ones still apply

    def apply(self, risks: QuerySet[Risk], today: datetime.date) -> QuerySet[Risk]:
        """The risks that pass every filter but the matrix cell (the heat map shows them all)."""
        data = self.cleaned_data
        text = (data.get("q") or "").strip()
        if text:
            risks = risks.filter(
                reduce(or_, (Q(**{f"{name}__icontains": text}) for name in TEXT_FIELDS))
            )
        for name, lookup in (("area", "area_id"), ("process", "process_id")):
            if data.get(name):
                risks = risks.filter(**{lookup: data[name]})
        if data.get("identified_by"):
            risks = risks.filter(unit_id=data["identified_by"])
        if data.get("level"):
            risks = risks.filter(queries.cells_at_level(self.matrix, data["level"]))
        if data.get("handling"):
            risks = risks.filter(queries.handling_includes(risks.db, data["handling"]))
        status = data.get("action_status")
        if status:
            actions = Action.objects.filter(risk=OuterRef("pk"))
            if status == "overdue":
                actions = actions.overdue(today)
            else:
                actions = actions.filter(status=status)
            risks = risks.filter(Exists(actions))
        return risks

    def in_cell(self, risks: QuerySet[Risk]) -> QuerySet[Risk]:
        cell = self.selected_cell()
        if cell is None:
            return risks
        return risks.filter(probability=cell[0], consequence=cell[1])

    def ordered(self, risks: QuerySet[Risk]) -> QuerySet[Risk]:
        sort = self.cleaned_data.get("sort")
        if sort == "level":
            return risks.alias(rank=queries.level_rank(self.matrix)).order_by(
                F("rank").desc(nulls_last=True), "area__name", "id"
            )
        if sort == "title":
            return risks.order_by("title", "id")
        return risks.order_by(F("area__name").asc(nulls_last=True), "id")

    def filters(self) -> bool:
        """Whether `apply` leaves risks out: a filter other than the matrix cell and the order."""
        return any(
            value for name, value in self.cleaned_data.items() if name not in ("sort", "cell")
        )

    def narrows(self) -> bool:
        """Whether a filter or the matrix cell leaves risks out (the order leaves none out)."""
        return any(value for name, value in self.cleaned_data.items() if name != "sort")

    def selected_cell(self) -> tuple[int, int] | None:
        if not self.cleaned_data.get("cell"):
            return None
        p, c = self.cleaned_data["cell"].split("-")
        return int(p), int(c)


# The risk's texts the free-text filter looks in.
TEXT_FIELDS = (
    "title",
    "description",
    "consequence_description",
    "existing_controls",
    "planned_handling",
)


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
        assignee = cast(forms.ModelChoiceField, self.fields["assignee"])
        assignee.queryset = assignable_people(units, self.instance.assignee_id)

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from internkontroll.lib.versioning import VersionedForm
from internkontroll.organisation.models import (
    PLAN_OWNER_KINDS,
    Goal,
    Organisation,
    Period,
    Process,
    RiskArea,
    Unit,
)
from internkontroll.organisation.queries import may_write_everywhere


class UnitForm(VersionedForm):
    """A unit's name, kind and place in the tree; the model refuses a parent below the unit."""

    class Meta:
        model = Unit
        fields = ["name", "kind", "parent"]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        parents = Unit.objects.filter(organisation=organisation).order_by("name")
        if self.instance.pk is not None:
            parents = parents.exclude(pk=self.instance.pk)
        parent = cast(forms.ModelChoiceField, self.fields["parent"])
        parent.queryset = parents
        parent.empty_label = gettext("None (top of the organisation)")


class GoalForm(VersionedForm):
    """A goal with the identifier the organisation uses, such as "1.1"."""

    class Meta:
        model = Goal
        fields = ["external_id", "title", "unit", "year"]
        labels = {"unit": _("Committee")}
        help_texts = {
            "external_id": _('The goal\'s number or code, such as "1.1".'),
            "unit": _("Leave empty for a goal set by the council for the whole organisation."),
        }

    def __init__(
        self, *args: Any, organisation: Organisation, committees: Any, wide: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["title"].required = True
        if self.instance.pk is None:
            self.fields["year"].initial = timezone.localdate().year
        choices = committees.filter(kind__in=PLAN_OWNER_KINDS)
        if self.instance.unit_id is not None:
            choices = Unit.objects.filter(Q(pk__in=choices) | Q(pk=self.instance.unit_id))
        unit = cast(forms.ModelChoiceField, self.fields["unit"])
        unit.queryset = choices.order_by("name")
        # Only those who write for the whole organisation may set a goal for all of it.
        unit.required = not wide
        unit.empty_label = gettext("The whole organisation") if wide else "---------"

    def clean_external_id(self) -> str:
        external_id = self.cleaned_data["external_id"].strip()
        taken = Goal.objects.filter(
            organisation=self.instance.organisation, external_id=external_id
        ).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                gettext("There is already a goal with the identifier “%(id)s”.")
                % {"id": external_id}
            )
        return external_id


def goal_form_options(user: Any, organisation: Organisation) -> dict[str, Any]:
    """GoalForm's arguments for this person: the committees they may set goals for (those they
    write) and whether they may set one for the whole organisation."""
    return {
        "organisation": organisation,
        "committees": Unit.objects.for_user(user, write=True).filter(organisation=organisation),
        "wide": may_write_everywhere(user, organisation),
    }


class NamedForm(VersionedForm):
    """A process or a risk area: a name, unique in the organisation whatever its case."""

    duplicate_message: str | Promise = ""

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        others = (
            type(self.instance)
            .objects.filter(organisation=self.instance.organisation)
            .exclude(pk=self.instance.pk)
            .values_list("name", flat=True)
        )
        # Compared in Python: SQLite ignores case only for ASCII, and Swedish names start with Ä.
        if name.casefold() in {other.casefold() for other in others}:
            raise forms.ValidationError(str(self.duplicate_message) % {"name": name})
        return name


class ProcessForm(NamedForm):
    duplicate_message = _("There is already a process named “%(name)s” in the organisation.")

    class Meta:
        model = Process
        fields = ["name"]


class RiskAreaForm(NamedForm):
    duplicate_message = _("There is already a risk area named “%(name)s” in the organisation.")

    class Meta:
        model = RiskArea
        fields = ["name"]


class PeriodDeadlineForm(VersionedForm):
    """A reporting period's deadline, as days after the period ends."""

    class Meta:
        model = Period
        fields = ["deadline_days"]

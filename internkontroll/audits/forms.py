from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.db import models
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.followups.models import FollowUp
from internkontroll.lib.versioning import CarriesVersion, version_field
from internkontroll.organisation.models import Unit
from internkontroll.risks.models import Progress

OPEN = "open"
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    """The audit list's filters; they live in the URL so a filtered list can be shared."""

    committee = forms.ChoiceField(label=_("Committee"), required=False)
    status = forms.ChoiceField(
        label=_("Status of recommendations"),
        required=False,
        choices=[("", _("All")), (OPEN, _("open (not started or in progress)")), *Progress.choices],
    )
    year = forms.ChoiceField(label=_("Year of the report"), required=False)

    def __init__(
        self,
        *args: Any,
        committees: Iterable[tuple[int, str]],
        years: Iterable[int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        every: list[tuple[str, Any]] = [("", _("All"))]
        cast(forms.ChoiceField, self.fields["committee"]).choices = every + [
            (str(pk), name) for pk, name in committees
        ]
        cast(forms.ChoiceField, self.fields["year"]).choices = every + [
            (str(year), str(year)) for year in years
        ]

    def values(self) -> dict[str, str]:
        """The valid filters that were chosen; an unknown value is ignored, not an error."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def statuses(self) -> list[str] | None:
        status = self.values().get("status")
        if not status:
            return None
        return [Progress.NOT_STARTED, Progress.IN_PROGRESS] if status == OPEN else [status]


class LoadedForm(CarriesVersion, forms.ModelForm):
    """A form that remembers which saved version of its object it was opened from.

    `saved` fills the form from an object without binding it, so a refused edit leaves the
    object as it is saved now; a form without one creates a new object and carries no version.
    """

    version = version_field()
    stale = False

    def __init__(self, *args: Any, saved: models.Model | None = None, **kwargs: Any) -> None:
        if saved is not None:
            kwargs["initial"] = {
                **model_to_dict(saved, fields=self._meta.fields),
                "version": saved.version,  # type: ignore[attr-defined]
                **kwargs.get("initial", {}),
            }
        super().__init__(*args, **kwargs)
        if saved is None:
            del self.fields["version"]

    def values(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class AuditReportForm(LoadedForm):
    class Meta:
        model = AuditReport
        fields = ["unit", "title", "auditor", "date"]
        widgets = {"date": DATE_WIDGET}

    def __init__(self, *args: Any, committees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = cast(forms.ModelChoiceField, self.fields["unit"])
        unit.queryset = committees
        unit.required = True
        unit.label = _("Committee")
        self.fields["date"].required = True


class RecommendationForm(LoadedForm):
    class Meta:
        model = Recommendation
        fields = ["text", "response", "status"]
        labels = {"response": _("The committee's response")}
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "response": forms.Textarea(attrs={"rows": 4}),
        }


class RecommendationFollowUpForm(LoadedForm):
    class Meta:
        model = FollowUp
        fields = ["date", "status", "comment"]
        widgets = {"date": DATE_WIDGET, "comment": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["initial"] = {"date": timezone.localdate(), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        status = cast(forms.ChoiceField, self.fields["status"])
        status.choices = Progress.choices
        status.required = True
        self.fields["comment"].required = True


def writable_committees(user: Any) -> Any:
    return (
        Unit.objects.for_user(user, write=True)
        .filter(kind=Unit.Kind.COMMITTEE)
        .select_related("organisation")
        .order_by("name")
    )

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from internkontroll.followups.models import FollowUp
from internkontroll.organisation.models import Period
from internkontroll.risks.models import Progress

ON_TRACK_CHOICES = [("", _("Not stated")), ("yes", _("Yes")), ("no", _("No"))]


class FollowUpForm(forms.ModelForm):
    """A follow-up on an action (status, on track) or a control activity (result)."""

    on_track = forms.TypedChoiceField(
        label=_("On track"),
        choices=ON_TRACK_CHOICES,
        required=False,
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = FollowUp
        fields = ["period", "date", "status", "on_track", "result", "comment"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "comment": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, subject: str, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["period"]).queryset = Period.objects.filter(
            organisation=organisation
        )
        self.fields["period"].required = True
        self.fields["date"].initial = timezone.localdate()
        self.fields["comment"].required = True
        if subject == "action":
            del self.fields["result"]
            cast(forms.ChoiceField, self.fields["status"]).choices = Progress.choices
            self.fields["status"].required = True
        else:
            del self.fields["status"]
            del self.fields["on_track"]
            self.fields["result"].required = True
            cast(forms.ChoiceField, self.fields["result"]).choices = FollowUp.Result.choices

    def values(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

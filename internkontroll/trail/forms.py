from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from internkontroll.trail.queries import KINDS, LogFilters


class LogFilterForm(forms.Form):
    """Filters of the auditors' log; a value that does not validate is simply not applied."""

    text = forms.CharField(label=_("Text"), required=False, max_length=200)
    # Typed, not chosen from a list: an instance may hold thousands of users.
    person = forms.CharField(
        label=_("Person"),
        required=False,
        max_length=150,
        help_text=_("Name or user name; empty for everyone."),
        widget=forms.TextInput(attrs={"list": "log-people", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(label=_("Kind of item"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            ("", _("All kinds")),
            *((kind.key, kind.label) for kind in KINDS),
        ]
        self.fields["text"].help_text = _("Searches titles, comments and references.")

    def filters(self) -> LogFilters:
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return LogFilters(
            person=" ".join((data.get("person") or "").split()),
            kind=data.get("kind") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            text=(data.get("text") or "").strip(),
        )

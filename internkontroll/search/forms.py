from __future__ import annotations

from django import forms

from internkontroll.search.queries import KINDS, MAX_PAGE


class SearchForm(forms.Form):
    """What to search for; a kind and a page narrow it to one kind's later hits."""

    q = forms.CharField(required=False)
    kind = forms.ChoiceField(choices=[(kind.name, kind.label) for kind in KINDS], required=False)
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)

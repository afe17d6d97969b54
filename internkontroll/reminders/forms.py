from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PreferencesForm(forms.Form):
    receives_reminders = forms.BooleanField(
        label=_("Send me reminders by e-mail"),
        required=False,
        help_text=_(
            "Before a reporting deadline and when it has passed, for the items you are "
            "responsible for; as a coordinator also a weekly summary of what is missing."
        ),
    )

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# How long a new token may live, in days; "never" must be chosen deliberately.
EXPIRY_CHOICES = [
    ("30", _("30 days")),
    ("90", _("90 days")),
    ("365", _("one year")),
    ("", _("until revoked")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, such as “Power BI, risk dashboard”."),
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Valid for"),
        choices=EXPIRY_CHOICES,
        initial="90",
        required=False,
        coerce=int,
        empty_value=None,
    )

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from internkontroll.accounts.models import Role, RoleAssignment, User
from internkontroll.organisation.models import Organisation, Unit


class UserForm(forms.ModelForm):
    """A person of the administrator's organisation; the password is not set here."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "is_active"]
        labels = {"is_active": _("Active")}
        help_texts = {
            "is_active": _("Deactivate a user who should no longer log in, instead of deleting."),
        }

    def __init__(
        self, *args: Any, organisation: Organisation | None, acting_user: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.acting_user = acting_user
        self.fields["email"].required = True

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        taken = User.objects.filter(organisation=self.organisation, email__iexact=email)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another user in the organisation has this e-mail."))
        return email

    def clean_is_active(self) -> bool:
        active = bool(self.cleaned_data["is_active"])
        if not active and self.instance.pk and self.instance.pk == self.acting_user.pk:
            raise forms.ValidationError(_("You cannot deactivate your own account."))
        return active


class RoleForm(forms.Form):
    """A role on one of the organisation's units, or on the whole organisation."""

    role = forms.ChoiceField(label=_("Role"), choices=[("", "---------"), *Role.choices])
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("The whole organisation"),
        help_text=_("The role covers the unit and every unit below it."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = Unit.objects.filter(
            organisation=user.organisation
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role, unit = cleaned.get("role"), cleaned.get("unit")
        if role and RoleAssignment.objects.filter(user=self.user, role=role, unit=unit).exists():
            raise forms.ValidationError(_("The user already holds this role there."))
        return cleaned

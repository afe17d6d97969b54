from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from internkontroll.access.accounts import grantable_units, may_grant
from internkontroll.accounts.limits import within_limit
from internkontroll.accounts.models import Role, RoleAssignment, User
from internkontroll.organisation.models import Organisation, Unit


class UserForm(forms.ModelForm):
    """A person of the administrator's organisation; the password is not set here.

    The e-mail is not a model field of the form, so validating never sets it on the user: a new
    address is only asked for, and applies once confirmed from it.
    """

    email = User._meta.get_field("email").formfield(required=True)
    field_order = ["username", "first_name", "last_name", "email", "is_active"]

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "is_active"]
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
        self.initial.setdefault("email", self.instance.email)

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

    def __init__(self, *args: Any, user: User, acting_user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.acting_user = acting_user
        unit = cast(forms.ModelChoiceField, self.fields["unit"])
        # Only the units the administrator administers are offered, and accepted.
        unit.queryset = (
            grantable_units(acting_user).filter(organisation=user.organisation).order_by("name")
        )
        unit.error_messages["invalid_choice"] = _("Choose one of the units you administer.")
        if not may_grant(acting_user, None):
            unit.required = True
            unit.empty_label = None
            unit.error_messages["required"] = _(
                "Choose a unit: you administer only some units, not the whole organisation."
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role, unit = cleaned.get("role"), cleaned.get("unit")
        if role and RoleAssignment.objects.filter(user=self.user, role=role, unit=unit).exists():
            raise forms.ValidationError(_("The user already holds this role there."))
        return cleaned


class LimitedPasswordResetForm(PasswordResetForm):
    """Sends one user only so many reset e-mails an hour; past that, silently none."""

    def get_users(self, email: str) -> Iterator[Any]:
        limit = settings.PASSWORD_RESET_LIMIT_PER_USER
        for user in super().get_users(email):
            if within_limit(f"reset-user:{user.pk}", limit):
                yield user

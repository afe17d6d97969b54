from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A person who logs in. What they may see and do comes from their role assignments."""

    organisation = models.ForeignKey(
        "organisation.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    # An e-mail address asked for but not yet confirmed from that address.
    pending_email = models.EmailField(_("new e-mail address, not yet confirmed"), blank=True)
    receives_reminders = models.BooleanField(
        _("receives reminders by e-mail"),
        default=True,
        help_text=_("Reminders of reports to write and, for coordinators, a weekly summary."),
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    ADMIN = "admin", _("system administrator")
    COORDINATOR = "coordinator", _("coordinator")
    RESPONSIBLE = "responsible", _("responsible")
    READER = "reader", _("reader")
    AUDITOR = "auditor", _("auditor")


# Roles that may change the domain data inside their scope.
WRITE_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR})
# Roles that may change the organisation's settings (matrix, periods, units, users).
SETTINGS_ROLES = frozenset({Role.ADMIN})


class RoleAssignment(models.Model):
    """A role a user holds on a unit and everything below it, or on the whole organisation."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    organisation = models.ForeignKey(
        "organisation.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        help_text=_("Empty means the whole organisation."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user__username", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                condition=models.Q(unit__isnull=False),
                name="role_assignment_unique_on_unit",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=models.Q(unit__isnull=True),
                name="role_assignment_unique_on_organisation",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="role_assignment_role_is_known"
            ),
        ]

    def __str__(self) -> str:
        where = self.unit.name if self.unit_id and self.unit else str(self.organisation)
        return f"{self.user}: {self.get_role_display()} ({where})"

    def clean(self) -> None:
        errors = {}
        if (
            self.unit is not None
            and self.organisation_id
            and self.unit.organisation_id != self.organisation_id
        ):
            errors["unit"] = gettext("The unit belongs to another organisation.")
        if (
            self.user_id
            and self.organisation_id
            and self.user.organisation_id not in (None, self.organisation_id)
        ):
            errors["user"] = gettext("The user belongs to another organisation.")
        if errors:
            raise ValidationError(errors)


class ScopeStamp(models.Model):
    """One row whose token changes whenever what people's scopes are computed from changes.

    Database triggers (migration 0006) give the token a new random value on every write to the
    role assignments and to the units' places in the tree, whatever the write path (forms, the
    importer, bulk writes, raw SQL), so that a process may keep the scopes it computed for as
    long as the token stays the same (`access.scope_for`). Random rather than counted: a change
    rolled back can never bring back a token that a process saw inside its transaction.
    """

    token = models.BigIntegerField()

    class Meta:
        verbose_name = _("scope stamp")

    def __str__(self) -> str:
        return str(self.token)

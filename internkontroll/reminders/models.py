from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    BEFORE = "before", _("before the deadline")
    PASSED = "passed", _("deadline passed")
    DIGEST = "digest", _("weekly summary")


class SentReminder(models.Model):
    """One item (or a weekly summary) mentioned in a reminder to one person on one day.

    The uniqueness of (person, item, day) is what keeps a second run from mailing it again.
    """

    Kind = Kind

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    day = models.DateField(_("day"))
    # "action:<pk>:<period pk>:<year>", "control_activity:…" or "digest".
    item = models.CharField(_("item"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        ordering = ["-day", "user_id", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "item", "day"], name="reminder_once_per_item_person_and_day"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=Kind.values), name="reminder_kind_is_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.user_id} {self.item}"

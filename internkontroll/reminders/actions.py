"""Turning one's own reminders on or off: the one write path for the choice."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from internkontroll.accounts.models import User
from internkontroll.lib.versioning import ANY_VERSION, save_versioned


@transaction.atomic
def choose_reminders(user: Any, *, acting_user: Any, receives_reminders: bool) -> Any:
    """Record whether the person gets reminders and weekly summaries by e-mail."""
    return save_versioned(
        User.objects.get(pk=user.pk),
        {"receives_reminders": receives_reminders},
        version=ANY_VERSION,
        acting_user=acting_user,
    )

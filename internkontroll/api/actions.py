"""Creating and revoking personal access tokens: the one write path, recorded in history."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from internkontroll.api.models import AccessToken, hash_key, new_key


@transaction.atomic
def create_token(
    user: Any, *, name: str, expires_in_days: int | None, acting_user: Any
) -> tuple[AccessToken, str]:
    """A new token for `user` and the token itself, which is never stored and shown once."""
    key = new_key()
    expires_at = (
        timezone.now() + datetime.timedelta(days=expires_in_days) if expires_in_days else None
    )
    token = AccessToken(
        user=user, name=name, hint=key[:8], key_hash=hash_key(key), expires_at=expires_at
    )
    token._history_user = acting_user  # type: ignore[attr-defined]
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def revoke_token(token: AccessToken, *, acting_user: Any) -> AccessToken:
    token = AccessToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token._history_user = acting_user  # type: ignore[attr-defined]
        token.save(update_fields=["revoked_at"])
    return token

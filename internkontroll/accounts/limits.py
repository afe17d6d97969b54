"""Who is asking, and how often they may: the client address behind proxies, and rate limits."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest

WINDOW_SECONDS = 3600


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind N trusted proxies the N-th from the right
    of X-Forwarded-For (the entries left of it are the client's own, and may be forged)."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [entry for entry in forwarded if entry]
    # Fewer entries than proxies means a request that did not come through them all.
    return forwarded[-count] if len(forwarded) >= count else remote


def within_limit(key: str, limit: int) -> bool:
    """Counts one more use of `key` in this hour's window; False once past `limit`."""
    cache = caches["limits"]
    key = f"limit:{key}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= limit

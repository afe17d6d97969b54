"""Who calls the API: a personal access token (Authorization: Bearer) or a browser session."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import Throttled
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from internkontroll.accounts.limits import WINDOW_SECONDS, within_limit
from internkontroll.api.models import AccessToken, hash_key
from internkontroll.api.problems import Problem


class TooManyRequests(Throttled):
    """Past the hourly limit: of a token, or of a person's use of the API from the browser."""

    def __init__(self, detail: str) -> None:
        super().__init__(wait=WINDOW_SECONDS)
        self.detail = detail


class TokenAuth(HttpBearer):
    """A usable token of an active user; each use is counted against the hourly limit."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token or len(token) > 200:
            return None
        found = (
            AccessToken.objects.usable()
            .select_related("user")
            .filter(key_hash=hash_key(token), user__is_active=True)
            .first()
        )
        if found is None:
            return None
        if not within_limit(f"api-token:{found.pk}", settings.IK_API_RATE_LIMIT):
            raise TooManyRequests(
                _("This token has made too many requests this hour. Try again later.")
            )
        found.touch()
        request.user = found.user
        return found.user


class BrowserSession(SessionAuth):
    """A logged-in browser; what it sends that changes data must carry the CSRF token. Its
    requests are counted per person against the same hourly limit as a token's."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if self.csrf and request.method not in ("GET", "HEAD", "OPTIONS") and check_csrf(request):
            raise Problem(
                403,
                _("The request lacks the CSRF token of the page: send it as X-CSRFToken."),
            )
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not (user.is_authenticated and user.is_active):
            return None
        if not within_limit(f"api-session:{user.pk}", settings.IK_API_RATE_LIMIT):
            raise TooManyRequests(
                _("You have made too many requests to the API this hour. Try again later.")
            )
        return user

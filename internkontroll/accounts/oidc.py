"""Single sign-on with OpenID Connect (Entra ID and the like), on when IK_OIDC_CLIENT_ID is set.

The provider vouches for a person's e-mail address; the person must already be a user here,
matched by that address in any case. Roles are kept in this system, never taken from claims.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from internkontroll.accounts.models import User


class OrganisationAccountBackend(OIDCAuthenticationBackend):
    """Logs in the one active user whose e-mail address the provider vouches for."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        # Only the callback passes a nonce; password logins must never reach the provider.
        if not settings.OIDC_ENABLED or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("email")) and claims.get("email_verified") is not False

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        return User.objects.filter(email__iexact=claims.get("email", ""), is_active=True)

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        user: User | None = super().get_or_create_user(access_token, id_token, payload)
        if user is None:
            messages.error(
                self.request,
                _(
                    "Your organisation account is not a user in Internkontroll. "
                    "Ask your system administrator to add you with the same e-mail address."
                ),
            )
        return user


def is_single_sign_on(request: HttpRequest, credentials: Any = None) -> bool:
    """Exempts the callback from django-axes' lockout: the provider guards its own logins.

    Failed callbacks carry no username, so counting them would lock out everyone behind one
    address (an office, a proxy) from single sign-on.
    """
    return request.path == reverse("oidc_authentication_callback")


class AuthenticateView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider; exists only when single sign-on is configured."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not settings.OIDC_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back; a refusal lands on the login page, explained."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not settings.OIDC_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def login_failure(self) -> HttpResponseRedirect:
        if not messages.get_messages(self.request):
            messages.error(
                self.request,
                _("Logging in with your organisation account failed. Please try again."),
            )
        return HttpResponseRedirect(reverse("accounts:login"))

import smtplib
from typing import Any

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from internkontroll.accounts import actions
from internkontroll.accounts.forms import LimitedPasswordResetForm
from internkontroll.accounts.limits import client_address, within_limit
from internkontroll.accounts.models import User


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponseBase:
    return auth_views.LoginView.as_view(
        template_name="accounts/login.html",
        redirect_authenticated_user=True,
        extra_context=login_context(),
    )(request)


def login_context() -> dict[str, Any]:
    return {
        "demo_users": demo_users() if settings.DEMO_MODE else [],
        "oidc_enabled": settings.OIDC_ENABLED,
    }


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The login page with the lockout explained, shown by django-axes instead of a login."""
    context = {
        **login_context(),
        "form": AuthenticationForm(request),
        "next": request.POST.get("next", ""),
        "locked_out_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "accounts/login.html", context, status=429)


def unprocessable_if_invalid(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    # A form view answers a POST with a page only when the form was refused.
    if request.method == "POST" and response.status_code == 200:
        response.status_code = 422
    return response


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponseBase:
    """Sends a reset link if the address belongs to an active user; says the same either way.

    One client address may ask only so often; past that it is told so, whatever the address.
    """
    limit = settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
    if request.method == "POST" and not within_limit(f"reset:{client_address(request)}", limit):
        context = {"form": LimitedPasswordResetForm(), "too_many": True}
        return render(request, "accounts/password_reset.html", context, status=429)
    view = auth_views.PasswordResetView.as_view(
        form_class=LimitedPasswordResetForm,
        template_name="accounts/password_reset.html",
        subject_template_name="accounts/password_reset_subject.txt",
        email_template_name="accounts/password_reset_email.txt",
        success_url=reverse_lazy("accounts:password_reset_done"),
        extra_email_context={"reset_hours": reset_hours()},
    )
    return unprocessable_if_invalid(request, view(request))


@require_GET
def password_reset_done(request: HttpRequest) -> HttpResponseBase:
    return auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_reset_done.html",
        extra_context={"reset_hours": reset_hours()},
    )(request)


def reset_hours() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponseBase:
    view = auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
    return unprocessable_if_invalid(request, view(request, uidb64=uidb64, token=token))


@require_GET
def password_reset_complete(request: HttpRequest) -> HttpResponseBase:
    return auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )(request)


@require_http_methods(["GET", "POST"])
def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Where the link sent to a new e-mail address leads: confirm it, and it applies."""
    try:
        if request.method == "POST":
            actions.confirm_email_change(token)
            messages.success(request, _("Your new e-mail address is confirmed and now applies."))
            return redirect("accounts:login")
        member, email = actions.pending_email_change(token)
    except actions.EmailChangeError as error:
        return render(request, "accounts/email_confirm.html", {"error": error}, status=400)
    except (smtplib.SMTPException, OSError):
        error_text = _(
            "The change could not be completed just now. Nothing was changed. Try again later."
        )
        return render(request, "accounts/email_confirm.html", {"error": error_text}, status=503)
    context = {"member": member, "email": email}
    return render(request, "accounts/email_confirm.html", context)


def demo_users() -> list[dict[str, str]]:
    from internkontroll.accounts.models import Role
    from internkontroll.exchange.management.commands.demo import DEMO_USERS

    return [
        {"username": username, "name": f"{first} {last}", "role": str(Role(role).label)}
        for username, first, last, role, _unit in DEMO_USERS
    ]


@require_POST
def demo_login(request: HttpRequest) -> HttpResponse:
    """Log in as a demo user with one click; exists only in demo mode."""
    from internkontroll.exchange.management.commands.demo import DEMO_USERS

    if not settings.DEMO_MODE:
        raise Http404
    usernames = {username for username, *_ in DEMO_USERS}
    username = request.POST.get("username", "")
    user = User.objects.filter(username=username, is_active=True).first()
    if username not in usernames or user is None:
        raise Http404
    auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return redirect(next_url)
    return redirect(settings.LOGIN_REDIRECT_URL)

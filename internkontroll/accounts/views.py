from django.conf import settings
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from internkontroll.accounts.models import User


def login(request: HttpRequest) -> HttpResponseBase:
    return auth_views.LoginView.as_view(
        template_name="accounts/login.html",
        redirect_authenticated_user=True,
        extra_context={"demo_users": demo_users() if settings.DEMO_MODE else []},
    )(request)


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

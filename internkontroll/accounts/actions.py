"""Managing users and their roles: the one write path for each change, recorded in history."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from internkontroll.access.accounts import may_grant, may_manage, may_manage_users
from internkontroll.accounts.models import RoleAssignment, User
from internkontroll.organisation.models import Organisation, Unit


def _check_may_manage(acting_user: Any, user: User) -> None:
    # The pages check first and answer 404; this keeps every other caller inside the scope too.
    if not may_manage(acting_user, user):
        raise PermissionDenied


@transaction.atomic
def create_user(organisation: Organisation, *, acting_user: Any, **values: Any) -> User:
    """A new user without a usable password: they log in by single sign-on or a reset."""
    if not may_manage_users(acting_user) or acting_user.organisation_id != organisation.pk:
        raise PermissionDenied
    user = User(organisation=organisation, **values)
    user.set_unusable_password()
    user._history_user = acting_user  # type: ignore[attr-defined]
    user.save()
    return user


@transaction.atomic
def change_user(user: User, *, acting_user: Any, site_url: str = "", **values: Any) -> bool:
    """Names, username, active at once; a new e-mail address only once confirmed from it.

    Returns whether a link to confirm a new address was sent (to `site_url`'s pages).
    """
    _check_may_manage(acting_user, user)
    if "pending_email" in values:
        raise ValueError("A pending e-mail address is set by request_email_change.")
    email = values.pop("email", user.email)
    for name, value in values.items():
        setattr(user, name, value)
    user._history_user = acting_user  # type: ignore[attr-defined]
    user.save(update_fields=list(values))
    if email == user.email:
        return False
    request_email_change(user, email, acting_user=acting_user, site_url=site_url)
    return True


@transaction.atomic
def add_role(user: User, *, acting_user: Any, role: str, unit: Unit | None) -> RoleAssignment:
    _check_may_manage(acting_user, user)
    if not may_grant(acting_user, unit):
        raise PermissionDenied
    assignment = RoleAssignment(user=user, organisation=user.organisation, unit=unit, role=role)
    assignment.full_clean()  # unknown roles, other organisations' units, duplicates
    assignment._history_user = acting_user  # type: ignore[attr-defined]
    assignment.save()
    return assignment


@transaction.atomic
def remove_role(assignment: RoleAssignment, *, acting_user: Any) -> None:
    _check_may_manage(acting_user, assignment.user)
    assignment._history_user = acting_user  # type: ignore[attr-defined]
    assignment.delete()


EMAIL_CHANGE_SALT = "internkontroll.accounts.email_change"
LINK_USED = gettext_lazy("The link has already been used, or a newer change has replaced it.")


class EmailChangeError(Exception):
    """A link to confirm an e-mail address that cannot be used; the message says why."""


@transaction.atomic
def request_email_change(user: User, email: str, *, acting_user: Any, site_url: str) -> None:
    """Keeps the address as pending and sends a link to it; only following the link sets it."""
    _check_may_manage(acting_user, user)
    user.pending_email = email
    user._history_user = acting_user  # type: ignore[attr-defined]
    user.save(update_fields=["pending_email"])
    token = signing.TimestampSigner(salt=EMAIL_CHANGE_SALT).sign_object(
        {"user": user.pk, "email": email}
    )
    context = {
        "user": user,
        "email": email,
        "link": site_url.rstrip("/") + reverse("accounts:email_confirm", args=[token]),
        "hours": settings.EMAIL_CHANGE_TIMEOUT // 3600,
    }
    send_mail(
        _("Confirm your new e-mail address in Internkontroll"),
        render_to_string("accounts/email_change_email.txt", context),
        None,
        [email],
    )


def pending_email_change(token: str) -> tuple[User, str]:
    """The user and the address a link confirms, or EmailChangeError saying what is wrong."""
    signer = signing.TimestampSigner(salt=EMAIL_CHANGE_SALT)
    try:
        claim = signer.unsign_object(token, max_age=settings.EMAIL_CHANGE_TIMEOUT)
    except signing.SignatureExpired as error:
        raise EmailChangeError(
            _("The link has expired. Ask your administrator to change the address again.")
        ) from error
    except signing.BadSignature as error:
        raise EmailChangeError(
            _("The link is not valid. Check that you copied all of it from the e-mail.")
        ) from error
    user = User.objects.filter(pk=claim.get("user")).first()
    if user is None or not user.pending_email or user.pending_email != claim.get("email"):
        raise EmailChangeError(LINK_USED)
    return user, user.pending_email


@transaction.atomic
def confirm_email_change(token: str) -> User:
    """Sets the address the link was sent to, and tells the old address it no longer applies."""
    user, email = pending_email_change(token)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pending_email != email:  # confirmed or replaced since the check above
        raise EmailChangeError(LINK_USED)
    taken = User.objects.filter(organisation=user.organisation, email__iexact=email)
    if taken.exclude(pk=user.pk).exists():
        raise EmailChangeError(
            _("Another user in the organisation already has this e-mail address.")
        )
    old_email = user.email
    user.email, user.pending_email = email, ""
    user._history_user = user  # type: ignore[attr-defined]
    user.save(update_fields=["email", "pending_email"])
    if old_email:
        context = {"user": user, "old_email": old_email, "email": email}
        send_mail(
            _("Your e-mail address in Internkontroll was changed"),
            render_to_string("accounts/email_changed_email.txt", context),
            None,
            [old_email],
        )
    return user

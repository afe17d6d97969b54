"""Pages where a system administrator manages the organisation's users and their roles."""

from __future__ import annotations

import smtplib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from internkontroll.access.accounts import manageable_users, may_manage_users
from internkontroll.accounts import actions
from internkontroll.accounts.forms import RoleForm, UserForm
from internkontroll.accounts.models import Role, RoleAssignment, User
from internkontroll.organisation.models import Organisation


def managed_organisation(user: Any) -> Organisation:
    """The user's own organisation if they administer any of it; 403 otherwise."""
    if not may_manage_users(user):
        raise PermissionDenied
    return Organisation.objects.get(pk=user.organisation_id)


def _roles() -> Prefetch:
    return Prefetch("role_assignments", RoleAssignment.objects.select_related("unit"))


def _member(request: HttpRequest, pk: int) -> User:
    """A person the administrator may manage: 403 for non-administrators, else 404."""
    managed_organisation(request.user)
    members = manageable_users(request.user).prefetch_related(_roles())
    return get_object_or_404(members.select_related("organisation"), pk=pk)


def _edit_page(request: HttpRequest, member: User, **forms: Any) -> HttpResponse:
    user_form = forms.get("user_form") or UserForm(
        instance=member, organisation=member.organisation, acting_user=request.user
    )
    role_form = forms.get("role_form") or RoleForm(user=member, acting_user=request.user)
    context = {"member": member, "form": user_form, "role_form": role_form}
    status = 422 if forms else 200
    return render(request, "accounts/users/edit.html", context, status=status)


@login_required
@require_GET
def users(request: HttpRequest) -> HttpResponse:
    organisation = managed_organisation(request.user)
    members = (
        manageable_users(request.user)
        .prefetch_related(_roles())
        .order_by("-is_active", "first_name", "last_name", "username")
    )
    context = {"organisation": organisation, "members": members}
    return render(request, "accounts/users/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    organisation = managed_organisation(request.user)
    form = UserForm(
        request.POST or None,
        organisation=organisation,
        acting_user=request.user,
        initial={"is_active": True},
    )
    if form.is_valid():
        member = actions.create_user(organisation, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("The user was created. Now give them a role."))
        return redirect("accounts:user_edit", pk=member.pk)
    status = 422 if form.is_bound else 200
    return render(request, "accounts/users/create.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    if request.method != "POST":
        return _edit_page(request, member)
    form = UserForm(
        request.POST, instance=member, organisation=member.organisation, acting_user=request.user
    )
    if not form.is_valid():
        return _edit_page(request, member, user_form=form)
    try:
        sent = actions.change_user(
            member,
            acting_user=request.user,
            site_url=request.build_absolute_uri("/"),
            **form.cleaned_data,
        )
    except (smtplib.SMTPException, OSError):
        error = _("The e-mail to confirm the new address could not be sent. Nothing was saved.")
        form.add_error("email", error)
        return _edit_page(request, member, user_form=form)
    if sent:
        message = _(
            "The user was saved. The new e-mail address applies once its owner has followed the "
            "link we sent to it."
        )
    else:
        message = _("The user was saved.")
    messages.success(request, message)
    return redirect("accounts:users")


@login_required
@require_POST
def role_add(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    form = RoleForm(request.POST, user=member, acting_user=request.user)
    if not form.is_valid():
        return _edit_page(request, member, role_form=form)
    actions.add_role(member, acting_user=request.user, **form.cleaned_data)
    messages.success(request, _("The role was added."))
    return redirect("accounts:user_edit", pk=member.pk)


@login_required
@require_POST
def role_remove(request: HttpRequest, pk: int) -> HttpResponse:
    managed_organisation(request.user)
    assignments = RoleAssignment.objects.filter(user__in=manageable_users(request.user))
    assignment = get_object_or_404(assignments.select_related("user"), pk=pk)
    if assignment.user_id == request.user.pk and assignment.role == Role.ADMIN:
        messages.error(request, _("You cannot remove your own administrator role."))
        return redirect("accounts:user_edit", pk=assignment.user_id)
    actions.remove_role(assignment, acting_user=request.user)
    messages.success(request, _("The role was removed."))
    return redirect("accounts:user_edit", pk=assignment.user_id)

"""Who may change an organisation's settings: its units, risk matrix, processes and risk areas.

The same rule `OrganisationScopedQuerySet.for_user(write=True)` filters rows by, asked of an
organisation before any row exists (to create one): a superuser, or an administrator whose
role covers the whole organisation. A coordinator of a committee writes the committee's own
things, never the settings the whole organisation shares.
"""

from __future__ import annotations

from typing import Any

from internkontroll.access import scope_for


def may_change_settings(user: Any, organisation_id: int) -> bool:
    scope = scope_for(user)
    return scope.everything or organisation_id in scope.settings_organisations

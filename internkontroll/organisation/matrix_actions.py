"""Changing the organisation's risk matrix: the one write path of the matrix settings."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from internkontroll.lib.versioning import ANY_VERSION, StaleEdit, save_versioned
from internkontroll.organisation.models import Organisation, RiskMatrix


@transaction.atomic
def change_risk_matrix(
    organisation: Organisation,
    document: dict[str, Any],
    *,
    opened_from: int | None,
    acting_user: Any,
) -> tuple[RiskMatrix, bool]:
    """Make `document` the matrix new plans get; True when a new matrix had to be made.

    A matrix no plan uses yet is changed in place. One a plan uses is never changed: a new
    matrix replaces it for new plans, and the plans made before keep theirs, so their levels
    and reports stay as they were. `opened_from` is the matrix the form showed; if another
    one has become current since, nothing is saved.
    """
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.risk_matrix_id != opened_from:
        raise StaleEdit
    values = RiskMatrix.fields_from_document(document)
    if organisation.risk_matrix_id is not None:
        # Locked first: a plan being made on it at the same moment waits, or makes us wait.
        current = RiskMatrix.objects.select_for_update().get(pk=organisation.risk_matrix_id)
        if RiskMatrix(**values).as_document() == current.as_document():
            return current, False
        if not current.plans.exists():
            reason = _("Changed in the organisation's settings.")
            matrix = save_versioned(
                current, values, version=ANY_VERSION, acting_user=acting_user, reason=reason
            )
            return matrix, False
    matrix = save_versioned(
        RiskMatrix(organisation=organisation),
        values,
        version=ANY_VERSION,
        acting_user=acting_user,
        reason=_("Made in the organisation's settings, for new plans."),
    )
    save_versioned(
        organisation, {"risk_matrix": matrix}, version=ANY_VERSION, acting_user=acting_user
    )
    return matrix, True

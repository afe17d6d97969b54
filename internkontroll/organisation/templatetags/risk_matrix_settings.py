"""The risk matrix section of the settings page, kept apart from the page's other sections."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from internkontroll.organisation.matrix_views import matrix_picture, plans_using
from internkontroll.organisation.models import Organisation

register = template.Library()


@register.inclusion_tag("organisation/matrix_section.html")
def risk_matrix_settings(organisation: Organisation, may_change: bool) -> dict[str, Any]:
    matrix = organisation.risk_matrix
    return {
        "picture": matrix_picture(matrix, _("The current risk matrix")) if matrix else None,
        "in_use": plans_using(matrix),
        "may_change": may_change,
    }

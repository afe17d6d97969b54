"""Kept for imports made before the kinds moved to `reports.kinds`; use that package."""

from internkontroll.reports.kinds import (
    KINDS,
    ReportError,
    build,
    check_kind,
    check_period,
    find_plan,
)

__all__ = ["KINDS", "ReportError", "build", "check_kind", "check_period", "find_plan"]

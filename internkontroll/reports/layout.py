"""Kept for imports made before the document model moved to `reports.document`."""

from internkontroll.reports.document import (
    Block,
    Document,
    Fields,
    Figure,
    Paragraph,
    Section,
    Table,
    Value,
)

__all__ = ["Block", "Document", "Fields", "Figure", "Paragraph", "Section", "Table", "Value"]

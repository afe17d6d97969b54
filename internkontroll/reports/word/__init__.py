"""Word documents: the default template, measuring text for tables, and organisations' templates."""

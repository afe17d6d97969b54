"""A stored, GIN-indexed Swedish text vector on every searched table, on PostgreSQL only.

The column lives in the database alone (not in the models, their history tables or exports):
row triggers keep it current on every write path (forms, the importer, bulk_create, COPY, raw
SQL). A trigger rather than a GENERATED column because a recommendation's vector holds its
report's title, and because PostgreSQL refuses to change the type of a column a generated
column reads. On SQLite nothing is done: search matches the text there.

The fields and weights are those of `internkontroll.search.queries.KINDS` (first field A, the
rest B); `test_vectors.py` fails if a searched field is missing here. A later migration that
renames or drops one of these columns must replace the trigger function too.
"""

from django.db import migrations

# table: (title column, other columns), in the order the search used to concatenate them.
DOCUMENTS = {
    "risks_risk": (
        "title",
        ("description", "consequence_description", "existing_controls", "planned_handling"),
    ),
    "risks_action": ("title", ("description", "responsible")),
    "controls_controlactivity": (
        "title",
        ("description", "working_method", "systematic_control", "sample", "responsible"),
    ),
    "audits_recommendation": ("text", ("response", "report_title")),
}

# Not a column of the recommendation: its report's title, read when the vector is computed.
REPORT_TITLE = "(SELECT title FROM audits_auditreport WHERE id = {row}report_id)"


def _column(row: str, column: str) -> str:
    if column == "report_title":
        return f"COALESCE({REPORT_TITLE.format(row=row)}, '')"
    return f"COALESCE({row}{column}, '')"


def vector(table: str, row: str) -> str:
    """The vector of one row; `row` is `NEW.` in a trigger and the table's name in an UPDATE."""
    title, rest = DOCUMENTS[table]
    weighted = [f"setweight(to_tsvector('swedish'::regconfig, {_column(row, title)}), 'A')"]
    if rest:
        body = " || ' ' || ".join(_column(row, column) for column in rest)
        weighted.append(f"setweight(to_tsvector('swedish'::regconfig, {body}), 'B')")
    return " || ".join(weighted)


def _watched(table: str) -> str:
    title, rest = DOCUMENTS[table]
    columns = [title, *rest]
    return ", ".join("report_id" if column == "report_title" else column for column in columns)


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in DOCUMENTS:
        schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN search_vector tsvector")
        schema_editor.execute(
            f"CREATE FUNCTION {table}_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n  NEW.search_vector := {vector(table, 'NEW.')};\n  RETURN NEW;\nEND\n$$"
        )
        schema_editor.execute(
            f"CREATE TRIGGER search_vector BEFORE INSERT OR UPDATE OF {_watched(table)} "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION {table}_search_vector()"
        )
        schema_editor.execute(f"UPDATE {table} SET search_vector = {vector(table, table + '.')}")
        schema_editor.execute(
            f"CREATE INDEX {table}_search_vector_gin ON {table} USING gin (search_vector)"
        )
    # A report's new title reaches the vectors of its recommendations.
    schema_editor.execute(
        "CREATE FUNCTION audits_auditreport_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN\n"
        "  UPDATE audits_recommendation"
        f" SET search_vector = {vector('audits_recommendation', 'audits_recommendation.')}"
        " WHERE report_id = NEW.id;\n"
        "  RETURN NULL;\n"
        "END\n$$"
    )
    schema_editor.execute(
        "CREATE TRIGGER search_vector AFTER UPDATE OF title ON audits_auditreport FOR EACH ROW"
        " WHEN (OLD.title IS DISTINCT FROM NEW.title)"
        " EXECUTE FUNCTION audits_auditreport_search_vector()"
    )


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER search_vector ON audits_auditreport")
    schema_editor.execute("DROP FUNCTION audits_auditreport_search_vector()")
    for table in DOCUMENTS:
        schema_editor.execute(f"DROP TRIGGER search_vector ON {table}")
        schema_editor.execute(f"DROP FUNCTION {table}_search_vector()")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_vector")


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0002_version_edits_of_audit_reports_and_recommendations"),
        ("controls", "0002_assign_control_activities_and_version_edits"),
        ("risks", "0003_link_risks_to_audit_recommendations"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]

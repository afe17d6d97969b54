"""The scope stamp: one row, and triggers that give it a new random token on every write to
what scopes are computed from (role assignments, and the units' places in the tree).

PostgreSQL runs its trigger once per statement (a COPY of a thousand units changes the token
once); SQLite has row triggers only. A unit's name or other details leave the token alone.
"""

from django.db import migrations, models

STAMP = "accounts_scopestamp"
# Watched tables, with the columns whose update changes a scope (None: any column).
WATCHED = {
    "accounts_roleassignment": None,
    "organisation_unit": ("parent_id", "organisation_id", "kind"),
}
POSTGRESQL_FUNCTION = f"""
CREATE FUNCTION accounts_renew_scope_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {STAMP} SET token = floor((random() - 0.5) * 9.2e18)::bigint;
    RETURN NULL;
END
$$
"""


def _update_of(columns: tuple[str, ...] | None) -> str:
    return "UPDATE" if columns is None else f"UPDATE OF {', '.join(columns)}"


def install(apps, schema_editor):
    schema_editor.execute(f"INSERT INTO {STAMP} (id, token) VALUES (1, 0)")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FUNCTION)
        for table, columns in WATCHED.items():
            schema_editor.execute(
                f"CREATE TRIGGER {table}_scope_stamp AFTER INSERT OR DELETE OR TRUNCATE OR "
                f"{_update_of(columns)} ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION accounts_renew_scope_stamp()"
            )
        return
    for table, columns in WATCHED.items():
        for event in ("INSERT", "DELETE", _update_of(columns)):
            name = f"{table}_scope_stamp_{event.split()[0].lower()}"
            schema_editor.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} "
                f"BEGIN UPDATE {STAMP} SET token = random(); END"
            )


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in WATCHED:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_scope_stamp ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS accounts_renew_scope_stamp()")
        return
    for table in WATCHED:
        for event in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_scope_stamp_{event}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_let_people_turn_reminders_off"),
        ("organisation", "0005_order_periods_by_organisation_key"),
    ]

    operations = [
        migrations.CreateModel(
            name="ScopeStamp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.BigIntegerField()),
            ],
            options={
                "verbose_name": "scope stamp",
            },
        ),
        migrations.RunPython(install, uninstall),
    ]

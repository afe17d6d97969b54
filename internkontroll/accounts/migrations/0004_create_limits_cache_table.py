from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):  # type: ignore[no-untyped-def]
    # The rate limits count in a database cache, shared by every worker; `migrate` makes its table.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_add_pending_email")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]

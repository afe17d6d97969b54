from io import StringIO

from django.core.management import call_command
from django.test import TestCase


class MigrationsTestCase(TestCase):
    def test_the_models_need_no_new_migration(self) -> None:
        output = StringIO()
        try:
            call_command("makemigrations", check=True, dry_run=True, stdout=output, stderr=output)
        except SystemExit:
            self.fail(f"The models have changes without a migration:\n{output.getvalue()}")

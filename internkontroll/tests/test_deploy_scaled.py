"""Production mode with the settings for more than one machine: S3 storage, a read replica,
JSON logs. The deployment checks stay clean, and the health check answers load balancers."""

from __future__ import annotations

import json
import secrets
import tempfile

from django.test import SimpleTestCase

from internkontroll.tests.test_deploy import run_ik

ASK_HEALTH = """
from django.core.files.storage import storages
from django.db import connections
from django.test import Client
files = storages["default"]
print("storage:", type(files).__name__, files.bucket_name, sorted(connections))
print("health:", Client().get("/halsa/", HTTP_HOST="ik.example.se").status_code)
"""


class ScaledProductionTests(SimpleTestCase):
    def setUp(self) -> None:
        data = self.enterContext(tempfile.TemporaryDirectory(prefix="ik-deploy-"))
        self.environment = {
            "IK_ENV": "production",
            "IK_ALLOWED_HOSTS": "ik.example.se",
            "IK_SECRET_KEY": secrets.token_urlsafe(45),
            "IK_DATA_DIR": data,
            "DATABASE_REPLICA_URL": f"sqlite:///{data}/replica.sqlite3",
            "IK_S3_BUCKET": "ik-filer",
            "IK_S3_ENDPOINT_URL": "https://s3.example.se",
            "IK_S3_ACCESS_KEY_ID": "nyckel",
            "IK_S3_SECRET_ACCESS_KEY": "hemlig",
            "IK_LOG_FORMAT": "json",
        }

    def test_it_passes_the_deployment_checks_without_a_warning(self) -> None:
        result = run_ik("check", "--deploy", "--fail-level", "WARNING", **self.environment)
        output = result.stdout + result.stderr
        assert result.returncode == 0, output
        assert "System check identified no issues (0 silenced)." in output

    def test_files_go_to_the_bucket_and_the_health_check_is_not_sent_to_https(self) -> None:
        result = run_ik("shell", "--no-imports", "-c", ASK_HEALTH, **self.environment)
        assert result.returncode == 0, result.stderr
        assert "storage: S3Storage ik-filer ['default', 'replica']" in result.stdout
        assert "health: 503" in result.stdout  # not 301: this database has no migrations
        logged = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
        assert any(
            entry["status_code"] == 503 and entry["path"] == "/halsa/" for entry in logged
        ), result.stderr

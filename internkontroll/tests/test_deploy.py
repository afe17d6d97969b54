import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from django.test import SimpleTestCase

IK = Path(sys.executable).with_name("ik")


def run_ik(*args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    """Run `ik` as an operator would, with only the given IK_ settings."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("IK_")}
    env.update(environment)
    return subprocess.run(  # noqa: S603 (our own command with fixed arguments)
        [str(IK), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


class ProductionModeTestCase(SimpleTestCase):
    def setUp(self) -> None:
        self.production = {
            "IK_ENV": "production",
            "IK_ALLOWED_HOSTS": "ik.example.se",
            "IK_DATA_DIR": self.enterContext(tempfile.TemporaryDirectory(prefix="ik-deploy-")),
        }

    def test_it_passes_the_deployment_checks_without_a_warning(self) -> None:
        result = run_ik(
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            IK_SECRET_KEY=secrets.token_urlsafe(45),  # 60 characters
            **self.production,
        )
        output = result.stdout + result.stderr
        assert result.returncode == 0, output
        assert "System check identified no issues (0 silenced)." in output
        assert "WARNING" not in output

    def test_it_refuses_to_start_without_a_secret_key(self) -> None:
        result = run_ik("check", **self.production)
        assert result.returncode != 0
        assert "IK_SECRET_KEY must be set to at least 50 random characters." in result.stderr

    def test_it_refuses_a_short_secret_key(self) -> None:
        result = run_ik("check", IK_SECRET_KEY="too-short", **self.production)
        assert result.returncode != 0
        assert "IK_SECRET_KEY must be set to at least 50 random characters." in result.stderr

"""`parasat check --deploy` passes with production settings."""

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[3]


def test_check_deploy_is_clean_in_production(tmp_path):
    env = {
        **os.environ,
        "PARASAT_ENV": "production",
        "SECRET_KEY": "x" * 30 + "-production-secret-key-for-the-check-" + "y" * 10,
        "ALLOWED_HOSTS": "parasat.example.org",
        "PARASAT_SITE_URL": "https://parasat.example.org",
        "PARASAT_VAR_DIR": str(tmp_path),
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "parasat.settings",
    }
    env.pop("DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process
    result = subprocess.run(
        [sys.executable, "-m", "parasat.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {
        **os.environ,
        "PARASAT_ENV": "production",
        "PARASAT_VAR_DIR": str(tmp_path),
        "PYTHONPATH": str(SRC),
    }
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "parasat.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr

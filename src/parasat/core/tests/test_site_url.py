"""Links in emails lead to the address Parasat is served on: PARASAT_SITE_URL
when set (required in production), otherwise the HOST and PORT that
``parasat serve`` and ``make run`` serve on."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from parasat import settings as parasat_settings

SRC = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "PARASAT_ENV": "production",
    "SECRET_KEY": "x" * 30 + "-production-secret-key-for-the-check-" + "y" * 10,
    "ALLOWED_HOSTS": "parasat.example.org",
}


def site_url(tmp_path, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PORT", "HOST", "PARASAT_SITE_URL", "PARASAT_ENV", "DEBUG"}
    }
    environment |= {
        "PARASAT_VAR_DIR": str(tmp_path),
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "parasat.settings",
        **env,
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.PARASAT_SITE_URL)",
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8123"}, "http://127.0.0.1:8123"),
        ({"PORT": "8123", "HOST": "localhost"}, "http://localhost:8123"),
        ({"PORT": "9000", "HOST": "0.0.0.0"}, "http://127.0.0.1:9000"),  # noqa: S104
        ({"PORT": "9000", "HOST": "::1"}, "http://[::1]:9000"),
    ],
)
def test_the_site_address_follows_the_served_port(monkeypatch, env, expected):
    for name in ("PORT", "HOST"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert parasat_settings._site_url(parasat_settings._served_address()) == expected


def test_the_settings_take_the_served_port_or_the_setting(tmp_path):
    served = site_url(tmp_path, PORT="8123")
    assert served.stdout.strip() == "http://127.0.0.1:8123", served.stderr
    given = site_url(tmp_path, PORT="8123", PARASAT_SITE_URL="https://parasat.example.org/")
    assert given.stdout.strip() == "https://parasat.example.org", given.stderr


def test_production_needs_the_site_address(tmp_path):
    result = site_url(tmp_path, **PRODUCTION)
    assert result.returncode != 0 and "PARASAT_SITE_URL" in result.stderr
    ok = site_url(tmp_path, **PRODUCTION, PARASAT_SITE_URL="https://parasat.example.org")
    assert ok.stdout.strip() == "https://parasat.example.org", ok.stderr


@pytest.mark.parametrize("bad", ["parasat.example.org", "ftp://x.org", "https://", "http://a b"])
def test_a_site_address_that_is_not_a_web_address_is_refused(bad):
    with pytest.raises(ImproperlyConfigured, match="PARASAT_SITE_URL"):
        parasat_settings._site_url(bad)

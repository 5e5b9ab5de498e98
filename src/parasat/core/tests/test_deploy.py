"""`parasat check --deploy` passes with production settings.

The settings module is evaluated again under the production environment in
this process and Django's checks run against it: the same checks as the
command, without a subprocess that imports everything again."""

import io

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from parasat.core.testing.environ import settings_under

PRODUCTION = {
    "PARASAT_ENV": "production",
    "SECRET_KEY": "x" * 30 + "-production-secret-key-for-the-check-" + "y" * 10,
    "ALLOWED_HOSTS": "parasat.example.org",
    "PARASAT_SITE_URL": "https://parasat.example.org",
    "DEBUG": None,
    # Production never sets it; the browser tests set it for their worker's
    # whole session (Playwright's event loop), and Django's deploy check
    # refuses it — the test ran beside them once xdist groups worked again.
    "DJANGO_ALLOW_ASYNC_UNSAFE": None,
}


# The model checks ask the database what it supports (JSON fields on SQLite).
deploy_check = pytest.mark.django_db


def check_deploy(production: dict) -> str:
    """Run ``check --deploy --fail-level WARNING`` under ``production``;
    raises SystemCheckError on any warning."""
    assert production["INSTALLED_APPS"] == settings.INSTALLED_APPS
    # This process keeps its test database and apps: the deploy checks open no
    # database, and the apps are the same.
    overrides = {k: v for k, v in production.items() if k not in {"DATABASES", "INSTALLED_APPS"}}
    out = io.StringIO()
    with override_settings(**overrides):
        call_command("check", deploy=True, fail_level="WARNING", stdout=out, stderr=out)
    return out.getvalue()


@deploy_check
def test_check_deploy_is_clean_in_production(monkeypatch, tmp_path):
    production = settings_under(monkeypatch, **PRODUCTION, PARASAT_VAR_DIR=str(tmp_path))
    assert production["DEBUG"] is False and production["SECURE_SSL_REDIRECT"] is True
    assert "no issues" in check_deploy(production)


@deploy_check
def test_the_deploy_check_catches_a_weakened_production_setting(monkeypatch, tmp_path):
    production = settings_under(
        monkeypatch, **PRODUCTION, PARASAT_VAR_DIR=str(tmp_path), SECURE_SSL_REDIRECT="0"
    )
    with pytest.raises(SystemCheckError, match=r"security\.W008"):
        check_deploy(production)


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        settings_under(
            monkeypatch,
            PARASAT_ENV="production",
            PARASAT_VAR_DIR=str(tmp_path),
            SECRET_KEY=None,
        )

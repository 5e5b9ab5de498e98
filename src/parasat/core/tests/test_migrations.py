"""The models and the migrations agree: no change to a model ships without its
migration. (Run here, in a worker whose Django is already loaded, instead of as
a separate ``makemigrations --check`` before the suite.)"""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", check=True, dry_run=True, interactive=False, stdout=out)
    except SystemExit:
        pytest.fail(
            "models changed without a migration (.venv/bin/parasat makemigrations):\n"
            + out.getvalue()
        )

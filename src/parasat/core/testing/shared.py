"""Rows made once and seen by every test of a module, as Django's
``TestCase.setUpTestData`` does for a class.

Loading the Kazakhstan 2014 example (the toolkit's bank, the review, its
assessments, analysis, events and plan) takes about 2 s of CPU; a module of
eight tests that each need it paid it eight times. Made here instead, the rows
are written once inside a transaction left open for the module: each test runs
in a savepoint of it (pytest-django's ``db``) and rolls back to it, so every
test starts from the same rows, whatever the one before did, and the module's
end rolls everything back.

A transactional test (``django_db(transaction=True)``: the browser tests and
their live server) cannot run inside that transaction; a module of them gets
``None`` from :func:`rows_for_the_module` and makes its rows per test as before.
The rows' Python objects are not shared: each test reads its own from the
database (a test that changes one in memory changes nothing for the next).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

# The module-scoped fixtures made with rows_for_the_module: in a parallel run
# the tests that use one keep to one worker (see the root conftest).
MODULE_FIXTURES = {"_module_people"}


def test_settings(media_root: Path) -> dict[str, Any]:
    """The settings every test runs with (the root conftest applies them)."""
    return {
        "MEDIA_ROOT": media_root,
        "AXES_ENABLED": False,
        "STORAGES": {
            # Uploads in the test's own folder, even where the environment
            # names an object store (PARASAT_S3_BUCKET).
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "TASKS": {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
        "CACHES": {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "tests",
            }
        },
    }


def transactional(node: pytest.Item | pytest.Collector) -> bool:
    marker = node.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)))


def rows_for_the_module[T](
    request: pytest.FixtureRequest, make: Callable[[], T]
) -> Iterator[T | None]:
    """For a module-scoped fixture (``yield from rows_for_the_module(request,
    make)``): what ``make()`` returns, its rows written in the module's
    transaction under the tests' settings; ``None`` in a module of
    transactional tests, which must make their rows per test."""
    if transactional(request.node):
        yield None
        return
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    media = request.getfixturevalue("tmp_path_factory").mktemp("module-media")
    with override_settings(**test_settings(media)):
        with blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                made = make()
            except BaseException:
                atomic.__exit__(*sys.exc_info())
                raise
        try:
            yield made
        finally:
            with blocker.unblock():
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)


def inside_the_module_rows(request: pytest.FixtureRequest) -> None:
    """For the function-scoped fixture that reads the module's rows: a
    transactional test cannot run inside the module's transaction."""
    if transactional(request.node):
        pytest.fail(
            "a transactional test (django_db(transaction=True)) cannot share rows made "
            "for its module: move it to a module of transactional tests"
        )

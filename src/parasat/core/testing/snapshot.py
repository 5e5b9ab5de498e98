"""The migrated test database, kept between runs and between parallel workers.

Every pytest-xdist worker starts from an empty in-memory SQLite database and
migrates it: about 70 migrations, some 10 seconds of CPU each time, in every
worker of every run. The database they produce depends only on the migrations
(and the code that turns them into SQL), so the first worker to migrate saves
a copy, and the next ones (and the next runs) load it with SQLite's backup API
instead of migrating again. A change to any migration, to the project's model
fields or database backend, or to Django, names another copy: the migrations
run again. ``PARASAT_TEST_DB_SNAPSHOT=0`` turns the copy off (every run
migrates, as Django's runner does).

Only the stock path is bypassed: PostgreSQL (``DATABASE_URL``) and file
databases migrate as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import django
from django.core import management
from django.db import connections

PACKAGE = Path(__file__).resolve().parents[2]
FOLDER = PACKAGE.parents[1] / "var" / "test-db"


def fingerprint() -> str:
    """What the migrated schema depends on: the migrations, the project's own
    model fields and database backend, and the versions of Django and SQLite."""
    digest = hashlib.sha256(f"{django.__version__} {sqlite3.sqlite_version}".encode())
    sources = sorted(PACKAGE.glob("*/migrations/*.py"))
    sources += sorted((PACKAGE / "core" / "db").rglob("*.py"))
    sources.append(PACKAGE / "core" / "fields.py")
    for path in sources:
        digest.update(str(path.relative_to(PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _in_memory_sqlite(alias: str) -> bool:
    connection = connections[alias]
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


def save(database: sqlite3.Connection, path: Path) -> None:
    """Write ``database`` to ``path`` atomically: a parallel worker reads either
    nothing or the whole copy. Copies under other names (older migrations) go."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.glob("*.sqlite3"):
        if old != path:
            old.unlink(missing_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    os.close(handle)
    target = sqlite3.connect(temporary)
    try:
        database.backup(target)
    finally:
        target.close()
    os.replace(temporary, path)


def load(path: Path, database: sqlite3.Connection) -> None:
    """Replace what ``database`` holds by the copy at ``path``."""
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(database)
    finally:
        source.close()


def _migrate_or_load(real: Callable[..., Any], folder: Path) -> Callable[..., Any]:
    def call_command(name: str, *args: Any, **options: Any) -> Any:
        alias = options.get("database", "default")
        if name != "migrate" or not _in_memory_sqlite(alias):
            return real(name, *args, **options)
        path = folder / f"{fingerprint()}.sqlite3"
        connection = connections[alias]
        if path.exists():
            connection.ensure_connection()
            load(path, connection.connection)
            return None
        result = real(name, *args, **options)
        connection.ensure_connection()
        save(connection.connection, path)
        return result

    return call_command


@contextlib.contextmanager
def migrated_once(folder: Path = FOLDER) -> Iterator[None]:
    """While open, creating the test database loads the saved copy of the
    migrated schema when there is one, and saves one when there is not."""
    if os.environ.get("PARASAT_TEST_DB_SNAPSHOT", "1") == "0":
        yield
        return
    # Django's test database creation imports call_command when it runs.
    with mock.patch.object(
        management, "call_command", _migrate_or_load(management.call_command, folder)
    ):
        yield

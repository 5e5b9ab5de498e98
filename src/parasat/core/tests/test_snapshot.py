"""The copy of the migrated test database that spares each worker its
migrations: named by what the schema depends on, and a faithful copy."""

import sqlite3
from unittest import mock

from parasat.core.testing import snapshot


def test_the_name_changes_with_any_migration(tmp_path):
    package = tmp_path / "parasat"
    migration = package / "things" / "migrations" / "0001_initial.py"
    migration.parent.mkdir(parents=True)
    migration.write_text("operations = []\n")
    (package / "core" / "db").mkdir(parents=True)
    (package / "core" / "fields.py").write_text("")
    with mock.patch.object(snapshot, "PACKAGE", package):
        before = snapshot.fingerprint()
        assert snapshot.fingerprint() == before
        migration.write_text("operations = ['something']\n")
        assert snapshot.fingerprint() != before
        migration.with_name("0002_more.py").write_text("operations = ['something']\n")
        after_a_new_one = snapshot.fingerprint()
        assert after_a_new_one != before
        (package / "core" / "fields.py").write_text("class Field: ...\n")
        assert snapshot.fingerprint() != after_a_new_one


def test_a_copy_holds_the_schema_and_the_rows_and_replaces_what_was_there(tmp_path):
    migrated = sqlite3.connect(":memory:")
    migrated.executescript(
        "CREATE TABLE django_migrations (app TEXT, name TEXT);"
        "INSERT INTO django_migrations VALUES ('things', '0001_initial');"
        "CREATE TABLE things_thing (id INTEGER PRIMARY KEY, name TEXT);"
        "CREATE INDEX things_name ON things_thing (name);"
    )
    migrated.commit()
    path = tmp_path / "copy.sqlite3"
    (tmp_path / "older.sqlite3").write_bytes(b"")
    snapshot.save(migrated, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.sqlite3"]

    fresh = sqlite3.connect(":memory:")
    fresh.execute("CREATE TABLE leftover (id INTEGER)")
    snapshot.load(path, fresh)
    schema = "SELECT type, name, sql FROM sqlite_master ORDER BY name"
    assert fresh.execute(schema).fetchall() == migrated.execute(schema).fetchall()
    assert fresh.execute("SELECT * FROM django_migrations").fetchall() == [
        ("things", "0001_initial")
    ]


def test_only_migrate_is_replaced(tmp_path):
    calls = []

    def real(name, *args, **options):
        calls.append(name)

    call_command = snapshot._migrate_or_load(real, tmp_path)
    call_command("createcachetable", database="default")
    assert calls == ["createcachetable"]

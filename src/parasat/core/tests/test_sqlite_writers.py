"""The SQLite backend queues writers on a kernel lock instead of letting them
poll SQLite's lock."""

import copy
import threading
import time

import pytest
from django.db import OperationalError, connections

from parasat.core.db.sqlite.base import DatabaseWrapper


@pytest.fixture(autouse=True)
def _real_connections(django_db_blocker):
    """These tests open their own SQLite files, outside the test database."""
    with django_db_blocker.unblock():
        yield


def wrapper(path: str, alias: str, timeout: float = 20) -> DatabaseWrapper:
    settings_dict = copy.deepcopy(connections["default"].settings_dict)
    settings_dict.update(
        ENGINE="parasat.core.db.sqlite",
        NAME=path,
        OPTIONS={"transaction_mode": "IMMEDIATE", "timeout": timeout},
    )
    return DatabaseWrapper(settings_dict, alias=alias)


def test_a_second_writer_waits_for_the_first_and_then_goes_in(tmp_path):
    path = str(tmp_path / "db.sqlite3")
    first = wrapper(path, "first")
    first.ensure_connection()
    first.cursor().execute("CREATE TABLE t (n INTEGER)")
    first._start_transaction_under_autocommit()
    first.cursor().execute("INSERT INTO t VALUES (1)")
    entered = threading.Event()
    failures: list[BaseException] = []

    def second_writer() -> None:
        # No busy timeout: had it reached SQLite's lock while the first writer
        # held it, SQLite would refuse at once ("database is locked").
        second = wrapper(path, "second", timeout=0)
        try:
            second.ensure_connection()
            second._start_transaction_under_autocommit()
            entered.set()
            second.cursor().execute("INSERT INTO t VALUES (2)")
            second._commit()
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            second.close()

    thread = threading.Thread(target=second_writer)
    thread.start()
    time.sleep(0.3)
    assert not entered.is_set()  # queued on the lock, not inside SQLite's
    first._commit()
    thread.join(5)
    assert entered.is_set() and not failures
    assert first.cursor().execute("SELECT n FROM t ORDER BY n").fetchall() == [(1,), (2,)]
    assert (tmp_path / "db.sqlite3.writers").exists()
    first.close()


def test_a_rollback_releases_the_queue(tmp_path):
    path = str(tmp_path / "db.sqlite3")
    first = wrapper(path, "first")
    first.ensure_connection()
    first._start_transaction_under_autocommit()
    first._rollback()
    second = wrapper(path, "second")
    second.ensure_connection()
    second._start_transaction_under_autocommit()  # would block for ever if still held
    second._commit()
    first.close()
    second.close()


def test_an_in_memory_database_needs_no_queue():
    memory = wrapper(":memory:", "memory")
    assert memory._write_lock_path() is None


def test_a_writer_gives_up_after_its_wait_instead_of_hanging(tmp_path):
    path = str(tmp_path / "db.sqlite3")
    first = wrapper(path, "first")
    first.ensure_connection()
    first.cursor().execute("CREATE TABLE t (n INTEGER)")
    first._start_transaction_under_autocommit()  # and never commits
    second = wrapper(path, "second")
    second.writer_wait = 0.2
    second.ensure_connection()
    with pytest.raises(OperationalError, match="database is locked"):
        second._start_transaction_under_autocommit()
    assert not second._write_lock_held and second.get_autocommit()
    first._rollback()
    second._start_transaction_under_autocommit()  # its turn now
    second._commit()
    first.close()
    second.close()

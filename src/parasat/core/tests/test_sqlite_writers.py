"""The SQLite backend queues writers on a kernel lock instead of letting them
poll SQLite's lock."""

import copy
import fcntl
import os
import threading
import time

import pytest
from django.db import OperationalError, connections

from parasat.core.db.sqlite import base as sqlite_base
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


def other_process_holds(path: str) -> int:
    """The writers' lock taken as another process would: on a file of its own."""
    fd = os.open(f"{path}.writers", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def waits_end() -> None:
    """Let every waiting helper thread finish (each has the lock, or hands it back)."""
    for waiting in threading.enumerate():
        if waiting.name == "sqlite-writer-wait":
            waiting.join(5)
            assert not waiting.is_alive()


def test_a_writer_waiting_on_another_process_goes_in_as_soon_as_it_lets_go(tmp_path):
    path = str(tmp_path / "db.sqlite3")
    other = other_process_holds(path)
    entered, commit = threading.Event(), threading.Event()

    def write() -> None:
        writer = wrapper(path, "writer")
        writer.ensure_connection()
        writer._start_transaction_under_autocommit()
        entered.set()
        commit.wait(5)
        writer._commit()
        writer.close()

    thread = threading.Thread(target=write)
    thread.start()
    time.sleep(0.3)
    assert not entered.is_set()
    fcntl.flock(other, fcntl.LOCK_UN)
    assert entered.wait(5)
    # Held now: the other process cannot take it until the writer commits.
    with pytest.raises(BlockingIOError):
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    commit.set()
    thread.join(5)
    fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.close(other)


def test_a_writer_that_gave_up_on_another_process_leaves_the_lock_free(tmp_path):
    path = str(tmp_path / "db.sqlite3")
    other = other_process_holds(path)
    writer = wrapper(path, "writer")
    writer.writer_wait = 0.2
    writer.ensure_connection()
    with pytest.raises(OperationalError, match="database is locked"):
        writer._start_transaction_under_autocommit()
    assert not writer._write_lock_held and writer.get_autocommit()
    # Its wait, still blocked in the kernel, takes the lock when the other
    # process lets go and hands it straight back.
    fcntl.flock(other, fcntl.LOCK_UN)
    os.close(other)
    waits_end()
    third = os.open(f"{path}.writers", os.O_RDWR)
    fcntl.flock(third, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free: the wait let go
    fcntl.flock(third, fcntl.LOCK_UN)
    os.close(third)
    writer._start_transaction_under_autocommit()  # and the writer's own turn comes
    writer._commit()
    writer.close()


def test_writers_giving_up_one_after_another_share_one_wait(tmp_path):
    # Each given-up wait used to keep a thread and an open file until the other
    # process let go: enough of them ran the process out of files.
    path = str(tmp_path / "db.sqlite3")
    other = other_process_holds(path)
    writer = wrapper(path, "writer")
    writer.writer_wait = 0.01
    writer.ensure_connection()
    waits_before = sum(t.name == "sqlite-writer-wait" for t in threading.enumerate())
    files_before = len(os.listdir("/proc/self/fd"))
    for _ in range(50):
        with pytest.raises(OperationalError, match="database is locked"):
            writer._start_transaction_under_autocommit()
    waits = sum(t.name == "sqlite-writer-wait" for t in threading.enumerate())
    assert waits - waits_before <= 1
    assert len(os.listdir("/proc/self/fd")) - files_before <= 1
    fcntl.flock(other, fcntl.LOCK_UN)
    os.close(other)
    writer.writer_wait = 5
    writer._start_transaction_under_autocommit()  # the shared wait is its turn
    writer._commit()
    writer.close()


def test_a_wait_interrupted_keeps_no_lock(tmp_path, monkeypatch):
    path = str(tmp_path / "db.sqlite3")
    other = other_process_holds(path)

    class Interrupted(threading.Event):
        def wait(self, timeout=None):
            raise KeyboardInterrupt  # as a signal handler may, mid-wait

    start = sqlite_base._Wait.start

    def start_then_interrupt(wait):
        start(wait)
        wait.taken = Interrupted()

    monkeypatch.setattr(sqlite_base._Wait, "start", start_then_interrupt)
    writer = wrapper(path, "writer")
    writer.ensure_connection()
    with pytest.raises(KeyboardInterrupt):
        writer._start_transaction_under_autocommit()
    assert not writer._write_lock_held
    monkeypatch.undo()
    fcntl.flock(other, fcntl.LOCK_UN)
    os.close(other)
    waits_end()
    third = os.open(f"{path}.writers", os.O_RDWR)
    fcntl.flock(third, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free: the interrupted wait let go
    os.close(third)
    writer.close()

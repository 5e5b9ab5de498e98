"""SQLite with a queue for writers.

SQLite lets one writer in at a time; the others wait in its busy handler,
which sleeps in steps of up to 100 ms before looking again. Under a few
concurrent saves that polling, not the work, makes the slow tail. Here every
write transaction (``BEGIN IMMEDIATE``, which Django issues for each atomic
block) first queues behind the other writers of its process on a lock that
hands over the moment it is released, then takes an exclusive ``flock`` on a
file beside the database against the other processes (a few server workers),
waiting in the kernel, which wakes it the moment the holder lets go. Both
waits end with
"database is locked" after :attr:`DatabaseWrapper.writer_wait` seconds (20, as
SQLite's own timeout here), so a stuck transaction fails the others instead of
hanging them. SQLite's own lock is then free by construction.

No deadlock is possible: a connection takes the file lock before SQLite's
lock and releases it after, and the only writes outside atomic blocks
(single statements in autocommit) never wait for the file lock. An in-memory
database (the test suite) has one process and needs no queue.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_process_queues: dict[str, threading.Lock] = {}
_process_queues_guard = threading.Lock()


def _process_queue(path: str) -> threading.Lock:
    """The queue of this process's writers to one database."""
    with _process_queues_guard:
        return _process_queues.setdefault(path, threading.Lock())


def _flock_within(path: str, seconds: float) -> int | None:
    """An open file of ``path`` holding its exclusive ``flock``, or None after
    ``seconds``. The wait itself is the kernel's (a blocked ``flock``, woken the
    moment the holder lets go), so a writer of one process is not overtaken
    again and again by the writers of another, as it was when it polled. A
    blocked ``flock`` cannot be given a timeout: it runs in a helper thread on a
    file of its own, and one that is given up on releases the lock as soon as it
    gets it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd
    except BlockingIOError:
        pass
    except BaseException:
        os.close(fd)
        raise
    taken = threading.Event()
    state = threading.Lock()
    given_up = False

    def wait() -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # pragma: no cover - only an unusable file gets here
            os.close(fd)
            return
        with state:
            if not given_up:
                taken.set()
                return
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    threading.Thread(target=wait, name="sqlite-writer-wait", daemon=True).start()
    if taken.wait(seconds):
        return fd
    with state:
        if taken.is_set():  # it came as the wait ended
            return fd
        given_up = True
    return None


class DatabaseWrapper(base.DatabaseWrapper):
    writer_wait = 20.0  # seconds a writer waits for its turn

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._write_lock_fd: int | None = None  # open while this connection holds the lock
        self._queue: threading.Lock | None = None

    @property
    def _write_lock_held(self) -> bool:
        return self._write_lock_fd is not None

    def _write_lock_path(self) -> str | None:
        if self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}.writers"

    def _acquire_write_lock(self) -> None:
        path = self._write_lock_path()
        if path is None or self._write_lock_held:
            return
        deadline = time.monotonic() + self.writer_wait
        queue = _process_queue(path)
        if not queue.acquire(timeout=self.writer_wait):
            raise OperationalError("database is locked")
        try:
            fd = _flock_within(path, max(deadline - time.monotonic(), 0.0))
        except BaseException:
            queue.release()
            raise
        if fd is None:
            queue.release()
            raise OperationalError("database is locked")
        self._write_lock_fd = fd
        self._queue = queue

    def _release_write_lock(self) -> None:
        fd, self._write_lock_fd = self._write_lock_fd, None
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
        if self._queue is not None:
            self._queue.release()
            self._queue = None

    def _start_transaction_under_autocommit(self) -> None:
        self._acquire_write_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self) -> None:
        try:
            super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self) -> None:
        try:
            super()._close()
        finally:
            self._release_write_lock()

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


class _Wait:
    """A blocked ``flock`` on a file of its own, in a helper thread: the kernel
    wakes it the moment the holder lets go, so a writer of one process is not
    overtaken again and again by the writers of another (as it was when it
    polled). A blocked ``flock`` cannot be given a timeout, so a writer that
    stops waiting gives the wait up; the next writer of the process takes it
    over (at most one wait per database and process), and one still given up
    when it gets the lock hands it straight back."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.taken = threading.Event()
        self._state = threading.Lock()
        self._given_up = False
        self._over = False  # the lock came while given up, and was handed back

    def start(self) -> None:
        try:
            threading.Thread(target=self._run, name="sqlite-writer-wait", daemon=True).start()
        except BaseException:
            os.close(self.fd)
            raise

    def _run(self) -> None:
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except OSError:  # pragma: no cover - only an unusable file gets here
            with self._state:
                self._over = True
            os.close(self.fd)
            return
        with self._state:
            if not self._given_up:
                self.taken.set()
                return
            self._over = True
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)

    def take_over(self) -> bool:
        """Wait on for a new writer; False when this wait has already ended."""
        with self._state:
            if self._over:
                return False
            self._given_up = False
            return True

    def give_up(self) -> bool:
        """Stop waiting; False when the lock came meanwhile (the caller has it)."""
        with self._state:
            if self.taken.is_set():
                return False
            self._given_up = True
            return True


# The wait given up by the last writer of each database in this process, for
# the next one. Only the writer holding the process queue touches it.
_given_up_waits: dict[str, _Wait] = {}


def _flock_within(path: str, seconds: float) -> int | None:
    """An open file of ``path`` holding its exclusive ``flock``, or None after
    ``seconds``. Called by the one writer of this process holding its queue."""
    wait = _given_up_waits.pop(path, None)
    if wait is None or not wait.take_over():
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            pass
        except BaseException:
            os.close(fd)
            raise
        wait = _Wait(fd)
        wait.start()
    try:
        if seconds > 0 and wait.taken.wait(seconds):
            return wait.fd
    except BaseException:  # interrupted: nothing may keep the lock for this writer
        if not wait.give_up():
            fcntl.flock(wait.fd, fcntl.LOCK_UN)
            os.close(wait.fd)
        else:
            _given_up_waits[path] = wait
        raise
    if not wait.give_up():
        return wait.fd  # it came as the wait ended
    _given_up_waits[path] = wait
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

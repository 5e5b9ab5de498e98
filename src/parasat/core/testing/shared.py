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

Modules of one folder that all start from the same rows (the reports' tests
each start from the example) can have those made once for the folder
(``under=``): its modules run one after another in one worker, each in a
transaction inside the folder's, which is rolled back before the first test
that is not theirs.
"""

from __future__ import annotations

import copy
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings

# The module-scoped fixtures made with rows_for_the_module: in a parallel run
# the tests of a folder that use one keep to one worker (see the root conftest),
# which makes the rows they share once.
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


def rows_for_the_module[T, U](
    request: pytest.FixtureRequest,
    make: Callable[..., T],
    *,
    under: Callable[[], U] | None = None,
) -> Iterator[T | None]:
    """For a module-scoped fixture (``yield from rows_for_the_module(request,
    make)``): what ``make()`` returns, its rows written in the module's
    transaction under the tests' settings; ``None`` in a module of
    transactional tests, which must make their rows per test.

    With ``under``, what ``under()`` returns is made once for the consecutive
    modules of the folder that ask for it, and ``make`` is given a copy of it
    (``make(rows)``): the module's transaction is opened inside the folder's."""
    if transactional(request.node):
        yield None
        return
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    factory = request.getfixturevalue("tmp_path_factory")
    media = factory.mktemp("module-media")
    with override_settings(**test_settings(media)):
        with blocker.unblock():
            release()  # rows shared by the tests before, whose transaction would hold this one
            by_folder = under is not None and enabled()
            if by_folder:
                folder = copy.deepcopy(_folder_rows(request.path.parent, under, factory))
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                made = make() if under is None else make(folder if by_folder else under())
            except BaseException:
                atomic.__exit__(*sys.exc_info())
                raise
        global _modules_open
        _modules_open += 1
        try:
            yield made
        finally:
            _modules_open -= 1
            with blocker.unblock():
                release()  # rows shared by tests of this module, held inside this transaction
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)


@dataclass
class _Folder:
    folder: Path
    under: Callable[[], Any]
    made: Any
    atomic: Any


_folder: _Folder | None = None
# Module transactions open (inside the folder's): the folder's stays while one is.
_modules_open = 0


def _folder_rows(folder: Path, under: Callable[[], Any], factory: Any) -> Any:
    """What ``under()`` made for the modules of ``folder``: made now, in a
    transaction of its own, unless the module before made it."""
    global _folder
    if _folder is not None and (_folder.folder, _folder.under) == (folder, under):
        return _folder.made
    release_the_folder()
    with override_settings(**test_settings(factory.mktemp("folder-media"))):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            made = under()
        except BaseException:
            atomic.__exit__(*sys.exc_info())
            raise
    _folder = _Folder(folder, under, made, atomic)
    return made


def release_the_folder() -> None:
    """Roll back the rows made for a folder's modules (the module's own and
    the tests' shared rows, inside them, first)."""
    global _folder
    release()
    if _folder is None:
        return
    folder, _folder = _folder, None
    transaction.set_rollback(True)
    folder.atomic.__exit__(None, None, None)


def _folder_key(item: pytest.Item) -> Path | None:
    """The folder whose rows ``item`` starts from (None: none)."""
    if not (MODULE_FIXTURES & set(getattr(item, "fixturenames", ()))):
        return None
    if not enabled() or _needs_transactions(item):
        return None
    return item.path.parent


def inside_the_module_rows(request: pytest.FixtureRequest) -> None:
    """For the function-scoped fixture that reads the module's rows: a
    transactional test cannot run inside the module's transaction."""
    if transactional(request.node):
        pytest.fail(
            "a transactional test (django_db(transaction=True)) cannot share rows made "
            "for its module: move it to a module of transactional tests"
        )


# --- Rows shared by the consecutive tests that ask for the same fixture -------
#
# A fixture registered here with share_rows() (the signed review, the
# self-assessment's working set, the analysis team…) is made once for the
# tests of a module that ask for it, one after another, instead of once per
# test: its rows are written in a transaction opened before pytest-django's
# own (so each test's savepoint sits inside it and rolls back to it), and each
# test gets a deep copy of the Python objects (as Django's setUpTestData does),
# so nothing a test changes in memory reaches the next. What making them sent
# (mail) or stored (files) is given back to every test as if it had made them.
# A test that asks for none of them, a transactional test, or a test of another
# module rolls the rows back first. PARASAT_SHARED_ROWS=0 makes them per test.
# A name registered in a conftest is shared below its folder only, one
# registered in a test module in that module only: a fixture of the same name
# elsewhere is not mistaken for it.


@dataclass
class _Shared:
    key: tuple[str, str, str]
    made: dict[str, Any]
    media: Path
    mail: list[Any]
    cached: tuple[dict[str, Any], dict[str, Any]]
    atomic: Any


# (fixture name, where it applies: a folder or a test module) -> its builder.
_BUILDERS: dict[tuple[str, Path], Callable[[], dict[str, Any]]] = {}
_active: _Shared | None = None


def share_rows(
    name: str, build: Callable[[], dict[str, Any]], *, where: Path | None = None
) -> None:
    """Register ``build`` for the fixture ``name``: it returns the rows'
    objects by name (``name`` among them; ``"personas"``, if present, is the
    role -> user mapping the ``persona`` fixture starts from). Registered
    later = asked first: a test asking for ``team`` (which needs ``work``)
    gets the team's rows. It applies to the tests ``where`` (by default, the
    caller's folder for a conftest, or the caller's test module)."""
    if where is None:
        caller = Path(sys._getframe(1).f_globals["__file__"]).resolve()
        where = caller.parent if caller.name == "conftest.py" else caller
    _BUILDERS.pop((name, where), None)
    _BUILDERS[(name, where)] = build


def shared_fixtures() -> set[str]:
    """The fixtures whose rows are made once for a module's tests (in a
    parallel run, the tests asking for one keep to one worker)."""
    return MODULE_FIXTURES | {name for name, _where in _BUILDERS}


def enabled() -> bool:
    return os.environ.get("PARASAT_SHARED_ROWS", "1") != "0"


def _needs_transactions(item: pytest.Item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    marker = item.get_closest_marker("django_db")
    return (
        transactional(item)
        or bool(names & {"transactional_db", "live_server", "django_db_reset_sequences"})
        or bool(marker and marker.kwargs.get("reset_sequences"))
    )


def _key(item: pytest.Item) -> tuple[str, str, str] | None:
    """Which shared rows ``item`` asks for (None: it makes its own)."""
    names = set(getattr(item, "fixturenames", ()))
    path = Path(item.path).resolve()
    wanted = [
        (name, where)
        for name, where in reversed(_BUILDERS)
        if name in names and path.is_relative_to(where)
    ]
    if not wanted or not enabled() or _needs_transactions(item):
        return None
    name, where = wanted[0]
    return (str(item.path), name, str(where))


def before_setup(item: pytest.Item) -> None:
    """Before any fixture of ``item``: roll the shared rows back unless it
    uses them (a transactional test's live server or flush must not find
    them, nor another module's tests), and the rows of a folder's modules
    unless it is one of them."""
    from pytest_django.plugin import blocking_manager_key

    # A test of a module whose rows are open (one that does not ask for them)
    # runs inside them: the folder's are rolled back after the module's.
    if _folder is not None and not _modules_open and _folder.folder != _folder_key(item):
        with item.config.stash[blocking_manager_key].unblock():
            release_the_folder()
    if _active is not None and _active.key != _key(item):
        with item.config.stash[blocking_manager_key].unblock():
            release()


def release() -> None:
    """Roll the shared rows back (the next test that asks makes them again)."""
    global _active
    if _active is None:
        return
    shared, _active = _active, None
    transaction.set_rollback(True)
    shared.atomic.__exit__(None, None, None)
    shutil.rmtree(shared.media, ignore_errors=True)


def _cache_contents() -> tuple[dict[str, Any], dict[str, Any]]:
    # The tests' cache is Django's in-process one (test_settings): its entries
    # are pickled, so a copy of its two dicts is a copy of what it holds.
    if not hasattr(cache, "_cache"):
        return {}, {}
    return dict(cache._cache), dict(cache._expire_info)


def rows_for_the_test(request: pytest.FixtureRequest) -> dict[str, Any] | None:
    """This test's copy of the shared rows it asks for (None: it makes its own).
    Called before pytest-django opens the test's transaction."""
    global _active
    key = _key(request.node)
    blocker = request.getfixturevalue("django_db_blocker")
    if key is None:
        with blocker.unblock():
            release()
        return None
    with blocker.unblock():
        if _active is None or _active.key != key:
            release()
            media = Path(tempfile.mkdtemp(prefix="parasat-shared-media-"))
            outbox = getattr(mail, "outbox", None)
            before = len(outbox) if outbox is not None else 0
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                cache.clear()
                with override_settings(**{**test_settings(media), "MEDIA_ROOT": media}):
                    made = _BUILDERS[(key[1], Path(key[2]))]()
                    cached = _cache_contents()
            except BaseException:
                atomic.__exit__(*sys.exc_info())
                shutil.rmtree(media, ignore_errors=True)
                raise
            sent = []
            if outbox is not None:
                sent = outbox[before:]
                del outbox[before:]
            _active = _Shared(key, made, media, sent, cached, atomic)
    # Each test as if it had made the rows itself: its own objects, the mail,
    # the files and what the making left in the (in-process) cache.
    cache.clear()
    if hasattr(cache, "_cache"):
        cache._cache.update(_active.cached[0])
        cache._expire_info.update(_active.cached[1])
    outbox = getattr(mail, "outbox", None)
    if outbox is not None:
        outbox.extend(copy.deepcopy(_active.mail))
    media_root = Path(settings.MEDIA_ROOT)
    if any(_active.media.iterdir()):
        shutil.copytree(_active.media, media_root, dirs_exist_ok=True)
    return copy.deepcopy(_active.made)

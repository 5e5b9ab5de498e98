"""Fixtures shared by every app: one persona per role in one signed review."""

from __future__ import annotations

import contextlib
import gc
import itertools
import json
import os
import shutil
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from _pytest.nodeid import NodeId
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache
from django.core.files.storage import InMemoryStorage, storages
from django.test import Client, override_settings
from django.utils import translation
from playwright.sync_api import Browser, Playwright, sync_playwright

from parasat.accounts.models import User
from parasat.accounts.tests.factories import UserFactory
from parasat.assessment import frozen
from parasat.core.testing import shared
from parasat.core.testing.shared import test_settings
from parasat.core.testing.snapshot import migrated_once
from parasat.reviews.loader import load_example
from parasat.reviews.models import Review, Role
from parasat.reviews.tests.factories import ParticipantFactory, signed_review
from parasat.toolkit.bank import load_bank

# The live server is started once per session, before any test's settings
# apply: its one-at-a-time middleware is installed here, for the whole run.
django_settings.MIDDLEWARE = [
    "parasat.core.testing.serial.SerialRequestsMiddleware",
    *django_settings.MIDDLEWARE,
]


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]):
    """In a parallel run (``-n 2 --dist loadgroup``, as ``make test`` does) the
    browser tests are dealt into as many groups as there are workers, module
    by module: each group runs in one worker, one test after another, with its
    own Chromium and live server, and the workers take the rest of the suite
    when their group is done. (In one group on one worker they were the run's
    longest path: the other worker finished everything else and waited.) The
    tests of a module that share rows made once for it (core/testing/shared.py)
    keep to one worker too, which makes those rows once; those of a folder's
    modules that start from rows made for the folder, likewise."""
    browser_modules = sorted({i.nodeid.split("::")[0] for i in items if _is_browser(i)})
    # A module whose tests start from rows made for it keeps all its tests together.
    with_module_rows = {
        i.nodeid.split("::")[0]
        for i in items
        if shared.MODULE_FIXTURES & set(getattr(i, "fixturenames", ()))
    }
    # pytest-xdist tells its workers how many there are (each collects the suite).
    groups = max(int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")), 1)
    for item in items:
        if _is_browser(item):
            index = browser_modules.index(item.nodeid.split("::")[0]) % groups
            item.add_marker(pytest.mark.xdist_group(f"browser-{index}"))
        elif item.nodeid.split("::")[0] in with_module_rows:
            folder = item.nodeid.split("::")[0].removeprefix("src/parasat/").rpartition("/")[0]
            item.add_marker(pytest.mark.xdist_group(folder))
        elif shared.shared_fixtures() & set(getattr(item, "fixturenames", ())):
            module = item.nodeid.split("::")[0].removeprefix("src/parasat/")
            item.add_marker(pytest.mark.xdist_group(module.removesuffix(".py")))
    result = yield
    if getattr(config.option, "loadgroup", False):
        _groups_into_test_ids(items)
    return result


def _is_browser(item: pytest.Item) -> bool:
    return item.get_closest_marker("browser") is not None


def pytest_collection_finish(session: pytest.Session) -> None:
    """Django, the project and every test module are loaded now and stay so:
    the garbage collector leaves those objects alone (gc.freeze) and runs less
    often. Measured on the analysis and assessment tests: 1.28 s in 1,745
    collections before, 0.88 s in 349 after (of some 33 s)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 50)


def _groups_into_test_ids(items: list[pytest.Item]) -> None:
    """pytest-xdist 3.8 tells the scheduler a test's group by appending
    ``@group`` to its id, written to ``item._nodeid``, which pytest 9.2 no
    longer reads (its ids are structured, ``item._id``): every group was
    silently ignored (pytest-xdist issue 1386). Until a release carries the
    fix, write the same suffix where pytest 9.2 reads it."""
    for item in items:
        groups = sorted(
            {
                str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                for m in item.iter_markers("xdist_group")
            }
        )
        suffix = "@" + "_".join(groups)
        if not groups or item.nodeid.endswith(suffix) or not isinstance(item._id, NodeId):
            continue
        item._id = NodeId.parse(item.nodeid + suffix)


@pytest.fixture(scope="session")
def _migrated_once():
    with contextlib.ExitStack() as stack:
        stack.enter_context(migrated_once())
        yield stack


@pytest.fixture(scope="session")
def django_db_setup(_migrated_once, django_db_setup):
    """pytest-django's test database, its migrations run once for every
    worker and run (see parasat.core.testing.snapshot)."""
    _migrated_once.close()
    return django_db_setup


@pytest.fixture(scope="session")
def _session_settings(tmp_path_factory) -> Iterator[Path]:
    """The test settings (core/testing/shared.py) for the whole session, set
    once: each setting changed sends Django's ``setting_changed`` and resets
    what depends on it, some 1–2 ms a test when it was done for every test.
    Yields the folder under which each test gets its own MEDIA_ROOT."""
    media = tmp_path_factory.mktemp("media")
    with override_settings(**test_settings(media / "session")):
        yield media


@pytest.fixture(autouse=True)
def _test_settings(_session_settings):
    # Each test its own MEDIA_ROOT, made only when something is stored there
    # (FileSystemStorage makes the folders it writes into).
    with override_settings(MEDIA_ROOT=_session_settings / f"test-{next(_media_numbers)}"):
        cache.clear()
        # Kept per process under a moment a frozen clock repeats, and primary keys
        # a rolled-back test gives out again: nothing of another test's.
        frozen.forget()
        yield
        # A request in another language leaves it active in this thread (the
        # locale middleware does not undo it): tests that follow would run in it.
        translation.deactivate()


_media_numbers = itertools.count(1)


@pytest.fixture(scope="session", autouse=True)
def _charts_drawn_once_per_process():
    """vl-convert draws a chart in 0.03–0.2 s of CPU, and tests draw the same
    specification again and again (a page per role, per language). Drawing is
    a pure function of the specification, so each is drawn once per process
    here; Django's cache, in which the code under test keeps its drawings, is
    still emptied before every test (the root ``_test_settings``)."""
    import vl_convert

    draw = vl_convert.vegalite_to_svg
    drawn: dict[str, str] = {}

    def once(spec, *args, **kwargs):
        if args or kwargs:
            return draw(spec, *args, **kwargs)
        key = json.dumps(spec, sort_keys=True, ensure_ascii=False)
        if key not in drawn:
            drawn[key] = draw(spec)
        return drawn[key]

    vl_convert.vegalite_to_svg = once
    yield
    vl_convert.vegalite_to_svg = draw


@pytest.fixture
def uploads_in_memory(settings):
    """Uploads kept by Django's in-memory storage, not under MEDIA_ROOT: code
    that reads or writes the file system itself instead of going through the
    storage API finds nothing there. Returns the storage."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    assert isinstance(storages["default"], InMemoryStorage)
    return storages["default"]


class Personas:
    """personas(role) -> a user holding that role in ``review``, made the
    first time a role is asked for (``made`` starts from users made before)."""

    def __init__(self, review: Review, made: dict[str, User] | None = None) -> None:
        self.review = review
        self.made = made if made is not None else {}

    def __call__(self, role: str) -> User:
        if role not in self.made:
            user = UserFactory(username=f"{role}-user")
            ParticipantFactory(review=self.review, user=user, role=role)
            self.made[role] = user
        return self.made[role]


def made_review() -> dict[str, Any]:
    """The rows of the ``review`` fixture, for parasat.core.testing.shared."""
    review = signed_review(slug="kz-test")
    return {"review": review, "personas": Personas(review).made}


shared.share_rows("review", made_review)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if not _is_browser(item):
        _chromium.stop()
    shared.before_setup(item)


@pytest.fixture(scope="session")
def _shared_rows_session(django_db_setup, django_db_blocker):
    yield
    with django_db_blocker.unblock():
        shared.release_the_folder()


@pytest.fixture
def _shared_rows(request, _shared_rows_session, _test_settings) -> dict[str, Any] | None:
    """This test's copy of the rows it shares with the tests before it
    (parasat.core.testing.shared), or None."""
    return shared.rows_for_the_test(request)


@pytest.fixture
def _django_db_helper(_shared_rows, _django_db_helper):
    """pytest-django's, once the shared rows (made in a transaction of their
    own) are there: each test's transaction opens inside theirs."""
    return _django_db_helper


@pytest.fixture
def review(db, _shared_rows) -> Review:
    if _shared_rows is not None:
        return _shared_rows["review"]
    return signed_review(slug="kz-test")


def made_kz_example() -> dict[str, Any]:
    """The rows of the ``kz_example`` fixture: the toolkit's bank and the
    Kazakhstan 2014 example (about 0.7 s of CPU), made once for the tests of a
    module that ask for it one after another (parasat.core.testing.shared)."""
    load_bank()
    return {"kz_example": load_example("kazakhstan-2014")}


shared.share_rows("kz_example", made_kz_example)


@pytest.fixture
def kz_example(db, _shared_rows) -> Review:
    """The Kazakhstan 2014 example loaded with the toolkit's bank."""
    if _shared_rows is not None and "kz_example" in _shared_rows:
        return _shared_rows["kz_example"]
    return made_kz_example()["kz_example"]


@pytest.fixture
def persona(review, _shared_rows) -> Personas:
    """persona(role) -> a user holding that role in ``review``."""
    return Personas(review, _shared_rows["personas"] if _shared_rows is not None else None)


@pytest.fixture
def stranger(db) -> User:
    """Signed in, but takes no part in the review."""
    return UserFactory(username="stranger")


def signed_in(client: Client, user: User) -> Client:
    """``client`` holding the session Django's ``login()`` leaves for ``user``
    (signed in with the project's backend), written in one insert. The test
    client's ``force_login`` goes through ``login()`` itself: a session made,
    its key cycled, saved twice, the CSRF token rotated and ``last_login``
    updated, about 2 ms against 0.5 ms, and the suite signs in some 2,000
    times. Tests of signing in itself use the form or ``Client.login``."""
    session = import_module(django_settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "parasat.accounts.backends.CachedModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = session.session_key
    return client


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as ``user`` (a fresh one each call)."""

    def make(user: User | None) -> Client:
        return Client() if user is None else signed_in(Client(), user)

    return make


ALL_ROLES = [r.value for r in Role]


# --- Browser tests: Playwright driving Debian's Chromium --------------------

BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def chromium_browser():
    """Debian's Chromium, launched once for the browser tests that follow one
    another in this process (see _Chromium). Skips when it is absent, unless
    PARASAT_REQUIRE_BROWSER=1 (CI), when its absence fails the run."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        if os.environ.get("PARASAT_REQUIRE_BROWSER") == "1":
            pytest.fail(
                "PARASAT_REQUIRE_BROWSER=1 but Chromium is not installed (apt-get install chromium)"
            )
        pytest.skip("Chromium is not installed (apt-get install --no-install-recommends chromium)")
    return _chromium.launch(executable)


class _Chromium:
    """One Playwright and one Chromium for a run of browser tests, stopped
    before the next test that is not one (and at the end). Playwright's sync
    API keeps an event loop running in this thread while it is started, and
    Django refuses database calls beside a running loop unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set: set for the browser tests only (the
    live server and their own ORM calls are synchronous), not for the tests
    that run after them in the same worker, such as the deploy check, which
    refuses that variable."""

    def __init__(self) -> None:
        self.playwright: Playwright | None = None
        self.browser: Browser | None = None

    def launch(self, executable: str) -> Browser:
        if self.browser is None:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
            self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(
                executable_path=executable, args=BROWSER_ARGS
            )
        return self.browser

    def stop(self) -> None:
        if self.browser is not None and self.playwright is not None:
            self.browser.close()
            self.playwright.stop()
            self.browser = self.playwright = None
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


_chromium = _Chromium()


def pytest_sessionfinish(session: pytest.Session) -> None:
    _chromium.stop()


@pytest.fixture
def page(chromium_browser, live_server):
    context = chromium_browser.new_context(
        base_url=live_server.url, locale="en-GB", bypass_csp=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def open_as(chromium_browser, live_server):
    """``open_as(user)``: a page of its own browser context, signed in as
    ``user`` (signed out when None), at ``width`` × 900 or ``viewport``, in
    ``locale``, downloads accepted; every context is closed after the test."""
    contexts = []

    def make(user=None, width=1280, *, viewport=None, locale="en-GB"):
        context = chromium_browser.new_context(
            base_url=live_server.url,
            locale=locale,
            viewport=viewport or {"width": width, "height": 900},
            accept_downloads=True,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        if user is not None:
            sign_in(page, user.username)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def live_server(live_server):
    """pytest-django's, its address kept for sign_in()."""
    _live_server_url[:] = [live_server.url]
    return live_server


_live_server_url: list[str] = []


def sign_in(page, username: str) -> None:
    """``page``'s browser context signed in as ``username``, with the cookies
    the sign-in form sets (the session and the person's language) but without
    loading the form and the page it leads to: that took a second or more of
    each browser test. ``sign_in_with_the_form`` goes through the form."""
    user = User.objects.get(username=username)
    client = signed_in(Client(), user)
    cookies = [
        (
            django_settings.SESSION_COOKIE_NAME,
            client.cookies[django_settings.SESSION_COOKIE_NAME].value,
        )
    ]
    if user.language in {code for code, _name in django_settings.LANGUAGES}:
        cookies.append((django_settings.LANGUAGE_COOKIE_NAME, user.language))
    page.context.add_cookies(
        [{"name": name, "value": value, "url": _live_server_url[0]} for name, value in cookies]
    )


def sign_in_with_the_form(
    page, username: str, password: str = "correct horse battery staple"
) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()

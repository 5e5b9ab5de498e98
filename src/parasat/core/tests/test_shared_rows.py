"""Rows shared by consecutive tests (core/testing/shared.py): a registered name
applies where it was registered, not to a fixture of the same name elsewhere."""

from pathlib import Path

import pytest

from parasat.core.testing import shared


class Item:
    """What shared.py reads of a pytest item."""

    def __init__(self, path: Path, *fixturenames: str) -> None:
        self.path = path
        self.fixturenames = fixturenames

    def get_closest_marker(self, name: str) -> None:
        return None


@pytest.fixture
def builders(monkeypatch):
    monkeypatch.setattr(shared, "_BUILDERS", {})
    monkeypatch.delenv("PARASAT_SHARED_ROWS", raising=False)


def test_a_name_registered_in_a_folder_or_a_module_applies_there_only(builders, tmp_path):
    tests = tmp_path / "finance" / "tests"
    shared.share_rows("budget", dict, where=tests)
    shared.share_rows("spent", dict, where=tests / "test_views.py")

    assert shared._key(Item(tests / "test_views.py", "budget", "spent"))[1] == "spent"
    assert shared._key(Item(tests / "test_exports.py", "budget"))[1] == "budget"
    # Another module's fixture named "spent", another app's named "budget": their own.
    assert shared._key(Item(tests / "test_exports.py", "spent")) is None
    assert shared._key(Item(tmp_path / "actionplan" / "tests" / "test_x.py", "budget")) is None


def test_the_same_name_in_two_folders_keeps_two_builders(builders, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    shared.share_rows("setup", dict, where=one)
    shared.share_rows("setup", list, where=two)
    assert shared._key(Item(one / "test_a.py", "setup"))[2] == str(one)
    assert shared._key(Item(two / "test_b.py", "setup"))[2] == str(two)


def test_by_default_a_test_module_s_registration_applies_to_that_module(builders):
    shared.share_rows("here", dict)
    assert list(shared._BUILDERS) == [("here", Path(__file__).resolve())]


class Exits:
    """An atomic block that records being left."""

    left = 0

    def __exit__(self, *exc: object) -> None:
        self.left += 1


class Config:
    def __init__(self) -> None:
        from contextlib import nullcontext

        from pytest_django.plugin import blocking_manager_key

        self.stash = {blocking_manager_key: type("Blocker", (), {"unblock": nullcontext})()}


@pytest.mark.django_db
def test_a_folder_s_rows_stay_while_a_module_s_are_open_on_them(builders, monkeypatch, tmp_path):
    """A test of a module whose rows are open, which asks for none of them,
    runs inside them: the folder's rows under them are not rolled back
    then (that would leave the module's transaction on a savepoint gone),
    only once the module's are."""
    atomic = Exits()
    folder = shared._Folder(tmp_path, dict, {}, atomic)
    monkeypatch.setattr(shared, "_folder", folder)
    item = Item(tmp_path / "test_read.py", "db")
    item.config = Config()

    monkeypatch.setattr(shared, "_modules_open", 1)
    shared.before_setup(item)
    assert (shared._folder, atomic.left) == (folder, 0)

    monkeypatch.setattr(shared, "_modules_open", 0)
    shared.before_setup(item)
    assert (shared._folder, atomic.left) == (None, 1)

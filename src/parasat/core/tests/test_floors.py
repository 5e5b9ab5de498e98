"""The apps stand on floors, and an app imports only the floors below it (its
tests aside): core knows nothing of the review, the review nothing of the
self-assessment, and so on up to the action plan. A lower app that must show
something of a higher one offers a hook the higher one fills. The JSON API's
root module only mounts the apps' routers."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from parasat.api import api

PACKAGE = Path(__file__).resolve().parents[2]

FLOORS: list[set[str]] = [
    {"core"},
    {"accounts"},
    {"reviews"},
    {"jobs"},
    {"toolkit", "finance"},  # side by side: neither imports the other
    {"assessment"},
    {"analysis"},
    {"engagement"},
    {"reports"},
    {"actionplan"},
]
FLOOR = {app: level for level, apps in enumerate(FLOORS) for app in apps}


def imported_apps(path: Path) -> set[str]:
    """The parasat apps a module imports, at any depth of the module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "parasat" and len(parts) > 1:
                found.add(parts[1])
    return found


# Every "parasat.<app>" a module's text names: what it imports is among them.
MENTIONED = re.compile(r"\bparasat\s*\.\s*(\w+)")


def upward(app: str, other: str) -> bool:
    return other in FLOOR and other != app and FLOOR[other] >= FLOOR[app]


def upward_imports() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) < 2 or parts[0] not in FLOOR or {"tests", "migrations"} & set(parts):
            continue
        # Parsed only when its text names an app on its floor or above (a few
        # modules): an import it has is among the names its text holds.
        mentioned = MENTIONED.findall(path.read_text(encoding="utf-8"))
        if not any(upward(parts[0], other) for other in mentioned):
            continue
        for other in imported_apps(path):
            if upward(parts[0], other):
                found.append(f"{path.relative_to(PACKAGE)} imports parasat.{other}")
    return found


def test_every_app_of_the_project_has_a_floor():
    apps = {p.parent.name for p in PACKAGE.glob("*/apps.py")}
    assert apps <= set(FLOOR), sorted(apps - set(FLOOR))


def test_no_app_imports_an_app_on_its_own_floor_or_above():
    assert upward_imports() == []


def test_the_check_finds_an_upward_import(tmp_path):
    """The check itself: a module of core importing the review is found."""
    module = tmp_path / "module.py"
    module.write_text(
        "import parasat.reviews.models\ndef f():\n    from parasat.assessment import selectors\n",
        encoding="utf-8",
    )
    assert imported_apps(module) == {"reviews", "assessment"}


def test_the_api_root_only_mounts_the_apps_routers():
    """Every operation of the JSON API is written in its app's own ``api`` module."""
    modules = {
        operation.view_func.__module__
        for _prefix, router in api._routers
        for path_view in router.path_operations.values()
        for operation in path_view.operations
    }
    assert modules, "the API has no operations"
    assert "parasat.api" not in modules
    assert all(m.startswith("parasat.") and m.split(".")[2] == "api" for m in modules), modules

"""The settings module evaluated afresh under another environment, in the test's
own process: what a production server would be configured with, without
starting one (a subprocess costs seconds of imports)."""

from __future__ import annotations

import importlib.util
import runpy
from typing import Any

import pytest


def settings_under(monkeypatch: pytest.MonkeyPatch, **env: str | None) -> dict[str, Any]:
    """The settings (upper-case names) that ``parasat/settings.py`` defines when
    run with ``env`` on top of this process's environment; a value of None
    unsets that variable. ``monkeypatch`` puts the environment back after the test."""
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    spec = importlib.util.find_spec("parasat.settings")
    assert spec is not None and spec.origin is not None
    namespace = runpy.run_path(spec.origin, run_name="parasat.settings_under_test")
    return {name: value for name, value in namespace.items() if name.isupper()}

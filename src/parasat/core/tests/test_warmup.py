"""A server process loads what the first request needs before it takes one
(parasat.wsgi runs core.lib.warmup), and loads no library that only some
requests use: pyxform, openpyxl and WeasyPrint take seconds to import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.template import engines

from parasat.core.lib.warmup import warm_templates, warm_up

SRC = Path(__file__).resolve().parents[3]
HEAVY = ("pyxform", "openpyxl", "weasyprint", "xlrd", "lark", "vl_convert")
# What Django would import on the first request: loaded with the application.
ON_THE_WAY = (
    "parasat.accounts.backends",
    "django.template.context_processors",
    "django.contrib.auth.context_processors",
    "django.contrib.messages.storage.fallback",
    "django.conf.locale.en.formats",
    "django.conf.locale.ru.formats",
)

# What a fresh process holds once the WSGI application is loaded.
LOADED = """
import json, sys
from django.urls import get_resolver
from parasat.wsgi import application
resolver = get_resolver()
print("JSON" + json.dumps({
    "urls": "parasat.urls" in sys.modules and "parasat.api" in sys.modules,
    "languages": sorted(resolver._reverse_dict),
    "heavy": [m for m in %r if m in sys.modules],
    "not_loaded": [m for m in %r if m not in sys.modules],
}))
""" % (HEAVY, ON_THE_WAY)  # noqa: UP031 — a code template, its braces are Python's


def test_the_wsgi_application_loads_the_urls_and_no_heavy_library(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PARASAT_ENV"}},
        "PARASAT_VAR_DIR": str(tmp_path),
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "parasat.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", LOADED], env=env, capture_output=True, text=True, check=True
    ).stdout
    loaded = json.loads(next(line[4:] for line in out.splitlines() if line.startswith("JSON")))
    assert loaded["urls"]
    assert loaded["languages"] == ["en", "kk", "ru"]  # reversing tables built in each
    assert loaded["heavy"] == []
    assert loaded["not_loaded"] == []


def test_warm_up_compiles_the_templates_into_the_cached_loader():
    assert warm_templates() > 50
    loader = engines["django"].engine.template_loaders[0]
    cached = {key.split(":")[0] for key in getattr(loader, "get_template_cache", {})}
    assert {"base.html", "assessment/assignment.html", "assessment/_evidence_list.html"} <= cached
    assert warm_up() > 0

"""Load, before a server process takes its first request, what that request
would otherwise load: the URL configuration (every view module and the API),
the URL reversing tables and the translation catalogue of each language, the
compiled templates and the static files' manifest.

Without it the first request of every new worker paid for all of that (0.5 to
3 seconds on the development machine, against a few milliseconds warm). The
WSGI and ASGI applications call :func:`warm_up` when they are loaded, which
the server does in each worker before it accepts connections. Libraries that
only some requests use (pyxform, openpyxl, WeasyPrint, vl-convert) are not loaded here:
they are imported where they are used."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template import engines
from django.template.backends.django import DjangoTemplates
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.utils import formats, translation
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def _template_names(backend: DjangoTemplates) -> list[str]:
    """Every .html template the engine's loaders can find, by name."""
    names: set[str] = set()
    for loader in backend.engine.template_loaders:
        for source in getattr(loader, "loaders", [loader]):
            for folder in source.get_dirs():
                root = Path(folder)
                if root.is_dir():
                    names.update(p.relative_to(root).as_posix() for p in root.rglob("*.html"))
    return sorted(names)


def warm_templates() -> int:
    """Compile every HTML template into the cached loader; returns how many."""
    count = 0
    for backend in engines.all():
        if not isinstance(backend, DjangoTemplates):
            continue
        for name in _template_names(backend):
            try:
                backend.get_template(name)
            except Exception:  # a template that fails is reported when it is used
                logger.warning("Warm-up: the template %s does not compile", name, exc_info=True)
            else:
                count += 1
    return count


def _namespaces(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    """``"assessment:"``, ``"accounts:"``… every namespace path under ``resolver``."""
    for namespace, (_pattern, sub) in resolver.namespace_dict.items():
        yield f"{prefix}{namespace}:"
        yield from _namespaces(sub, f"{prefix}{namespace}:")


def _build_reversing(resolver: URLResolver) -> None:
    """The reversing tables of every namespace, in the active language: Django
    builds them per language on first use, for each namespace's own resolver.
    Reversing a name no view has builds them (and finds nothing)."""
    resolver.reverse_dict  # noqa: B018
    for path in _namespaces(resolver):
        with contextlib.suppress(NoReverseMatch):
            reverse(f"{path}parasat-warm-up")


def warm_modules() -> None:
    """Import what Django imports lazily on a request's way: the
    authentication backends, the template context processors, the messages'
    storage and each language's date and number formats (a tenth of the first
    request's time otherwise)."""
    from django.contrib.auth import get_backends

    get_backends()
    for backend in engines.all():
        if isinstance(backend, DjangoTemplates):
            backend.engine.template_context_processors  # noqa: B018 — imports them
    import_string(settings.MESSAGE_STORAGE)
    for code, _name in settings.LANGUAGES:
        formats.get_format_modules(code)


def warm_up() -> float:
    """Load what the first request needs; returns the seconds it took."""
    start = time.perf_counter()
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 — imports the URL configuration, every view and the API
    for code, _name in settings.LANGUAGES:
        with translation.override(code):  # activating a language loads its catalogue
            _build_reversing(resolver)
    warm_modules()
    warm_templates()
    # Reads the manifest once; without one (collectstatic has not run) there is nothing to read.
    with contextlib.suppress(ValueError):
        staticfiles_storage.url("parasat/parasat.css")
    return time.perf_counter() - start

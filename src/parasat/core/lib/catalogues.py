"""Compile and check the gettext catalogues without GNU gettext installed.

python -m parasat.core.lib.catalogues compile   # .po -> .mo
python -m parasat.core.lib.catalogues check     # list untranslated or fuzzy entries
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import django
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

PACKAGE_DIR = Path(__file__).resolve().parents[2]
LOCALE_DIRS = [PACKAGE_DIR / "locale", PACKAGE_DIR / "locale_django"]


@dataclass(frozen=True)
class Problem:
    path: Path
    msgid: str
    kind: str  # "untranslated" | "fuzzy"


def po_files() -> list[Path]:
    return sorted(p for d in LOCALE_DIRS if d.exists() for p in d.glob("*/LC_MESSAGES/*.po"))


def _read(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, abort_invalid=True)


def compile_all() -> int:
    count = 0
    for po in po_files():
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        catalog = _read(po)
        with mo.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        count += 1
    return count


def problems() -> list[Problem]:
    found: list[Problem] = []
    for po in po_files():
        if po.parts[-3] == "en":
            continue  # English is the source language: msgstr may stay empty
        for message in _read(po):
            if not message.id:
                continue
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            if message.fuzzy:
                found.append(Problem(po, msgid, "fuzzy"))
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if not all(strings):
                found.append(Problem(po, msgid, "untranslated"))
    return found


# Django's catalogues whose strings Parasat's pages show: forms and fields,
# sign-in and passwords, the admin.
DJANGO_CATALOGUES = ("conf/locale", "contrib/admin/locale", "contrib/auth/locale")


def _translated(path: Path) -> set[Any]:
    if not path.exists():
        return set()
    return {
        m.id
        for m in _read(path)
        if m.id and all(m.string if isinstance(m.string, tuple) else (m.string,))
    }


def untranslated_django_strings(languages: Iterable[str]) -> list[tuple[str, str]]:
    """(language, msgid) for each of Django's English strings that neither its
    own catalogue nor Parasat's top-up translates."""
    django_dir = Path(django.__file__).resolve().parent
    found = []
    for language in languages:
        top_up = _translated(PACKAGE_DIR / "locale_django" / language / "LC_MESSAGES" / "django.po")
        for catalogue in DJANGO_CATALOGUES:
            english = _read(django_dir / catalogue / "en" / "LC_MESSAGES" / "django.po")
            own = _translated(django_dir / catalogue / language / "LC_MESSAGES" / "django.po")
            for message in english:
                if message.id and message.id not in own and message.id not in top_up:
                    msgid = message.id if isinstance(message.id, str) else message.id[0]
                    found.append((language, msgid))
    return found


def main(argv: list[str]) -> int:
    action = argv[1] if len(argv) > 1 else "compile"
    if action == "compile":
        compile_all()
        return 0
    if action == "check":
        found = problems()
        for p in found:
            print(f"{p.path.relative_to(PACKAGE_DIR)}: {p.kind}: {p.msgid!r}")  # noqa: T201
        return 1 if found else 0
    print(__doc__)  # noqa: T201
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

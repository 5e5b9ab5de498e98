"""The shared XLSForm corpus (``../shared/corpus/xlsforms`` beside the repository, or
where ``PARASAT_XLSFORM_CORPUS`` points: a git worktree elsewhere runs it too) and
the verdicts its SOURCES.md records for pyxform 4.5."""

from __future__ import annotations

import os
import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[4]
CORPUS = Path(
    os.environ.get("PARASAT_XLSFORM_CORPUS") or REPO_ROOT.parent / "shared" / "corpus" / "xlsforms"
)
_ROW = re.compile(r"^\| (\S+) \| (accepted|refused) \| (.*?) \|")


def verdicts() -> dict[str, tuple[str, str]]:
    """file (relative to the corpus) -> (accepted|refused, what pyxform said)."""
    found = {}
    sources = CORPUS / "SOURCES.md"
    if not sources.exists():
        return found
    for line in sources.read_text(encoding="utf-8").splitlines():
        if match := _ROW.match(line):
            found[match.group(1)] = (match.group(2), match.group(3))
    return found


def corpus_files() -> list[str]:
    if not CORPUS.exists():
        return []
    return sorted(
        str(p.relative_to(CORPUS))
        for p in [*CORPUS.glob("*"), *CORPUS.glob("invalid/*")]
        if p.is_file() and p.suffix != ".md"
    )

"""Time importing the whole XLSForm corpus (the forms pyxform accepts) once.

    .venv/bin/python bench/toolkit_import.py [--corpus DIR]

Uses a throw-away SQLite database; prints the total, the slowest file, and
pyxform's own conversion time over the same files for comparison."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus" / "xlsforms"))
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="parasat-bench-")
    os.environ["PARASAT_SQLITE_PATH"] = str(Path(tmp) / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parasat.settings")
    import django  # noqa: PLC0415 - settings must see the environment first

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415
    from pyxform.xls2xform import convert  # noqa: PLC0415

    from parasat.toolkit.services import questionnaire_import  # noqa: PLC0415
    from parasat.toolkit.tests.corpus import verdicts  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    corpus = Path(args.corpus)
    accepted = [corpus / f for f, (v, _) in sorted(verdicts().items()) if v == "accepted"]
    if not accepted:
        sys.exit(f"No corpus at {corpus}")
    warnings.simplefilter("ignore")
    timings = []
    for path in accepted:
        data = path.read_bytes()
        start = time.perf_counter()
        questionnaire_import(data=data, filename=path.name)
        timings.append((time.perf_counter() - start, path.name))
    total = sum(t for t, _ in timings)
    slowest = max(timings)
    start = time.perf_counter()
    for path in accepted:
        convert(xlsform=str(path), warnings=[], validate=False)
    pyxform_only = time.perf_counter() - start
    print(f"Toolkit import: {len(accepted)} accepted corpus files in {total:.2f} s")
    print(f"  slowest: {slowest[1]} {slowest[0]:.2f} s")
    print(f"  pyxform conversion alone over the same files: {pyxform_only:.2f} s")


if __name__ == "__main__":
    main()

"""One format per kind of date, localised: a day is "2 February 2027" ("2
ақпан 2027", "2 февраля 2027"), a moment adds the time without seconds
("2 February 2027, 14:05"). No page or email shows an ISO date."""

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
DAY, MOMENT = "j E Y", "j E Y, H:i"
FORMAT = re.compile(r"""\|date:["']([^"']*)["']""")


def test_templates_write_dates_in_one_format_per_kind():
    found = {}
    # The apps' templates and the project's own (src/parasat/templates).
    templates = [p for p in PACKAGE.glob("**/templates/**/*") if p.suffix in {".html", ".txt"}]
    assert any(p.parent == PACKAGE / "templates" for p in templates)
    for template in templates:
        for fmt in FORMAT.findall(template.read_text(encoding="utf-8")):
            found.setdefault(fmt, []).append(template.relative_to(PACKAGE).as_posix())
    odd = {fmt: where for fmt, where in found.items() if fmt not in {DAY, MOMENT}}
    assert not odd, odd

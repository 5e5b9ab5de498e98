"""In Chromium: expressions.js judges the cases of the table that
toolkit/expressions.py is tested on, so that the live form and the server agree."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from parasat.conftest import sign_in
from parasat.toolkit import expressions
from parasat.toolkit.tests.test_expressions import CASES, case_text

pytestmark = pytest.mark.browser

SCRIPT = Path(settings.BASE_DIR) / "assessment" / "static" / "assessment" / "expressions.js"


def test_the_browser_agrees_with_the_server_on_every_shared_case(page):
    page.goto("about:blank")
    page.add_script_tag(content=SCRIPT.read_text())
    cases = [
        {
            "expr": case["expr"],
            # The tree the server sends; a case the server cannot parse fails here.
            "tree": expressions.parse_strict(case["expr"]),
            "values": case.get("values", {}),
            "current": case_text(case.get("current")),
            "expected": case["expected"],
        }
        for case in CASES["cases"]
    ]
    got = page.evaluate(
        """([cases, today]) => {
            const X = window.ParasatExpressions;
            X.today = today;
            return cases.map(c => X.isTrue(c.tree, c.values, c.current, !c.expected));
        }""",
        [json.loads(json.dumps(cases)), CASES["today"]],
    )
    wrong = [
        (c["expr"], c["current"]) for c, g in zip(cases, got, strict=True) if g is not c["expected"]
    ]
    assert wrong == []


@pytest.mark.django_db(transaction=True)
def test_the_form_page_gives_the_server_date_for_today(quiet_page, work):
    """today() in the browser is the server's date (it was the browser's UTC one)."""
    sign_in(quiet_page, work.contact.username)
    quiet_page.goto(f"/reviews/{work.review.slug}/assessment/assignments/{work.assignment.pk}/")
    today = quiet_page.evaluate("window.ParasatExpressions.today")
    assert today == expressions.today()

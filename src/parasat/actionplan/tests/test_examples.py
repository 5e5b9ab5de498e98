"""The Kazakhstan 2014 example carries an illustrative plan for the example's
agreed recommendations, adopted by a placeholder act and marked as such;
loading again changes nothing. The public tracker shows it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client

from parasat.actionplan import selectors
from parasat.actionplan.models import Measure, Plan
from parasat.core.testing import shared
from parasat.reviews.loader import load_example
from parasat.reviews.models import Review
from parasat.toolkit.bank import load_bank

pytestmark = pytest.mark.django_db


def _load() -> Review:
    load_bank()
    return load_example("kazakhstan-2014")


# Named as the reports' fixture of the same kind: core.testing.shared.MODULE_FIXTURES
# keeps a module that uses it on one worker in a parallel run, which loads it once.
@pytest.fixture(scope="module")
def _module_people(request) -> Iterator[Review | None]:
    """The toolkit's bank and the example, loaded once for the module's two
    tests (most of their time); each test starts from them as loaded."""
    yield from shared.rows_for_the_module(request, _load)


@pytest.fixture
def example(_module_people, request, db) -> Review:
    if _module_people is None:
        return _load()
    shared.inside_the_module_rows(request)
    return Review.objects.get(pk=_module_people.pk)


def test_the_example_holds_an_illustrative_adopted_plan(example):
    plan = Plan.objects.get(review=example)
    assert plan.illustrative and plan.version == 1 and plan.act_number == "ILLUSTRATIVE-1"
    assert list(Measure.objects.order_by("code").values_list("code", flat=True)) == ["1", "2", "3"]
    assert all(row.covered for row in selectors.coverage(plan))  # PSI-2 by a position
    assert Measure.objects.get(code="1").title.get("kk")
    load_example("kazakhstan-2014")
    assert Plan.objects.count() == 1 and Measure.objects.count() == 3


def test_the_public_tracker_shows_the_example(example):
    page = Client().get(f"/tracker/{example.slug}/").content.decode()
    assert "Illustrative example" in page and "Verify the declarations" in page

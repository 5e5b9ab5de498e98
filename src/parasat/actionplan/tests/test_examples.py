"""The Kazakhstan 2014 example carries an illustrative plan for the example's
agreed recommendations, adopted by a placeholder act and marked as such;
loading again changes nothing. The public tracker shows it."""

from __future__ import annotations

import pytest
from django.test import Client

from parasat.actionplan import selectors
from parasat.actionplan.models import Measure, Plan
from parasat.reviews.loader import load_example
from parasat.reviews.models import Review

pytestmark = pytest.mark.django_db


@pytest.fixture
def example(kz_example) -> Review:
    """The toolkit's bank and the example, loaded once for the module's two
    tests (most of their time; the root conftest's kz_example)."""
    return kz_example


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

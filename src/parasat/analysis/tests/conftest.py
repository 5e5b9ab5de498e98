"""The analysis's personas: the self-assessment's forwarded REG area (answers
and files of every level, peer review open, public answers published), the
shipped scales with the maturity model chosen for the review, and the team."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from parasat.analysis import charts, services
from parasat.analysis.models import RatingScale
from parasat.analysis.tests.factories import MATURITY, Team, provision_for, team_file
from parasat.assessment.tests.conftest import made_work, work  # noqa: F401 (the fixture, reused)
from parasat.assessment.tests.data_setup import Setup, build
from parasat.conftest import Personas
from parasat.core.lib.charts import CACHE_SECONDS, spec_key, svg_key
from parasat.core.testing import shared
from parasat.reviews.models import Role


def make_team(work: Setup, persona: Personas) -> Team:  # noqa: F811
    services.scales_load_shipped()
    area = work.assignment.questionnaire.area
    provision = provision_for(area)
    mix = build(work)
    scale = RatingScale.objects.get(code=MATURITY)
    services.review_scales_set(review=work.review, scales=[scale], by=None)
    return Team(
        mix=mix,
        review=work.review,
        coordinator=work.coordinator,
        analyst=persona(Role.ANALYST),
        expert=persona(Role.EXPERT),
        area=area,
        scale=scale,
        provision=provision,
        team_file=team_file(mix),
    )


def made_team() -> dict[str, Any]:
    """The rows of the ``team`` fixture, for parasat.core.testing.shared."""
    made = made_work()
    made["team"] = make_team(made["work"], Personas(made["review"], made["personas"]))
    return made


shared.share_rows("team", made_team)


@pytest.fixture
def team(work, persona, _shared_rows) -> Team:  # noqa: F811
    if _shared_rows is not None and "team" in _shared_rows:
        return _shared_rows["team"]
    return make_team(work, persona)


@pytest.fixture(scope="module")
def _drawn_charts() -> dict[str, str]:
    return {}


@pytest.fixture(autouse=True)
def _each_chart_drawn_once_per_module(monkeypatch, _drawn_charts):
    """vl-convert takes about 0.15 s of CPU to draw the ratings chart, and
    the tests clear the cache before each test (test_queries also within one,
    to draw the page anew): the same specification, drawn before in the
    module, gives the same SVG, kept here and put in the cache as the drawing
    would. A new specification is drawn as always."""
    draw = charts.vegalite_svg

    def drawn_once(spec, *, use_cache=True):
        key = spec_key(spec)
        if key not in _drawn_charts:
            _drawn_charts[key] = draw(spec, use_cache=use_cache)
        elif use_cache:
            cache.set(svg_key(spec), _drawn_charts[key], CACHE_SECONDS)
        return _drawn_charts[key]

    monkeypatch.setattr(charts, "vegalite_svg", drawn_once)

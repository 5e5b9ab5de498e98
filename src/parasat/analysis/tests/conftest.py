"""The analysis's personas: the self-assessment's forwarded REG area (answers
and files of every level, peer review open, public answers published), the
shipped scales with the maturity model chosen for the review, and the team."""

from __future__ import annotations

import pytest

from parasat.analysis import services
from parasat.analysis.models import RatingScale
from parasat.analysis.tests.factories import MATURITY, Team, provision_for, team_file
from parasat.assessment.tests.conftest import work  # noqa: F401 (the fixture, reused)
from parasat.assessment.tests.data_setup import build
from parasat.reviews.models import Role


@pytest.fixture
def team(work, persona) -> Team:  # noqa: F811
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

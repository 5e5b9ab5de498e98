"""The action plan's personas: the co-ordinator, the Ministry of Justice's
contact person, a partner ministry, two agreed recommendations."""

from __future__ import annotations

import pytest

from parasat.actionplan.tests.factories import Planning, planning
from parasat.reviews.models import Role


@pytest.fixture
def setup(review, persona) -> Planning:
    return planning(review, persona(Role.COORDINATOR))

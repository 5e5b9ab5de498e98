"""The action plan's personas: the co-ordinator, the Ministry of Justice's
contact person, a partner ministry, two agreed recommendations."""

from __future__ import annotations

from typing import Any

import pytest

from parasat.actionplan.tests.factories import Planning, planning
from parasat.conftest import Personas, made_review
from parasat.core.testing import shared
from parasat.reviews.models import Role


def made_planning() -> dict[str, Any]:
    """The rows of the ``setup`` fixture, for parasat.core.testing.shared."""
    made = made_review()
    coordinator = Personas(made["review"], made["personas"])(Role.COORDINATOR)
    made["setup"] = planning(made["review"], coordinator)
    return made


shared.share_rows("setup", made_planning)


@pytest.fixture
def setup(review, persona, _shared_rows) -> Planning:
    if _shared_rows is not None and "setup" in _shared_rows:
        return _shared_rows["setup"]
    return planning(review, persona(Role.COORDINATOR))

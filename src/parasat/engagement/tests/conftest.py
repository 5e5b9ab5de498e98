"""The engagement's fixtures: the shared review (signed 2015-01-20, three
phases) with the five events of the agreement."""

from __future__ import annotations

import pytest

from parasat.engagement import services
from parasat.engagement.models import Event


@pytest.fixture
def events(review) -> dict[str, Event]:
    services.events_plan(review=review)
    return {e.key: e for e in Event.objects.filter(review=review)}

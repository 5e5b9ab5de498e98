"""Views of the engagement, by part of the work:

- :mod:`.events` — the review's events, one event with its agenda and
  documents, the forms that write them, and the public page of a public event.
"""

from __future__ import annotations

from typing import Any

from parasat.engagement.access import EngagementReader


def page_context(reader: EngagementReader, **extra: Any) -> dict[str, Any]:
    """What every engagement page's template reads: the reader, what the review
    allows them (``access``, for the review's navigation) and the review."""
    return {"reader": reader, "access": reader.access, "review": reader.review, **extra}

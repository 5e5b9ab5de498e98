"""Views of the action plan, by part of the work:

- :mod:`.plan` — the plan, its coverage, measures and indicators, adoption,
  amendments and versions (the co-ordinator drafts, others read);
"""

from __future__ import annotations

from typing import Any

from parasat.actionplan.access import PlanReader


def page_context(reader: PlanReader, **extra: Any) -> dict[str, Any]:
    """What every plan page's template reads: the reader, what the review
    allows them (``access``, for the review's navigation), the review and plan."""
    return {
        "reader": reader,
        "access": reader.access,
        "review": reader.review,
        "plan": reader.plan,
        **extra,
    }

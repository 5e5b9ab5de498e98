"""Views of the analysis, by part of the work:

- :mod:`.pages` — the review's overview with its chart, an area's assessment,
  its provision coverage and history, the review-wide recommendations;
- :mod:`.editing` — the forms that write an assessment's content and the
  government's rating;
- :mod:`.workflow` — the states, the comment thread, the stage and the scales.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from parasat.analysis.access import AnalysisReader

# The events a version's note records, as the history names them.
NOTES = {
    "context": lambda code: _("Context changed"),
    "finding.added": lambda code: _("Finding %(code)s added") % {"code": code},
    "finding.changed": lambda code: _("Finding %(code)s changed") % {"code": code},
    "finding.withdrawn": lambda code: _("Finding %(code)s withdrawn") % {"code": code},
    "rating.saved": lambda code: _("Rating on %(code)s saved") % {"code": code},
    "recommendation.added": lambda code: _("Recommendation %(code)s proposed") % {"code": code},
    "recommendation.changed": lambda code: _("Recommendation %(code)s changed") % {"code": code},
    "state.team_review": lambda code: _("Sent for team review"),
    "state.draft": lambda code: _("Returned to draft"),
    "state.agreed": lambda code: _("Agreed"),
    "state.reopened": lambda code: _("Reopened"),
    "example": lambda code: _("Loaded from the example file"),
}


def note_text(note: str) -> str:
    event, _sep, code = note.partition(" ")
    shown = NOTES.get(event)
    return shown(code) if shown else note


def page_context(reader: AnalysisReader, **extra: Any) -> dict[str, Any]:
    """What every analysis page's template reads: the reader, what the review
    allows them (``access``, for the review's navigation) and the review."""
    return {"reader": reader, "access": reader.access, "review": reader.review, **extra}

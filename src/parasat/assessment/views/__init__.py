"""Views of the self-assessment, by part of the work:

- :mod:`.work` — the co-ordinator's and analysts' dashboard, "my work",
  assigning, the queue of submitted answers and forwarding;
- :mod:`.answering` — the answer form, saving, evidence, comments, history;
- :mod:`.data` — exports and the import of field-collected answers.
"""

from __future__ import annotations

from typing import Any

from parasat.assessment.access import Reader


def page_context(reader: Reader, **extra: Any) -> dict[str, Any]:
    """What every self-assessment page's template reads: the reader, what the
    review allows them (``access``, for the review's navigation) and the review."""
    return {"reader": reader, "access": reader.access, "review": reader.review, **extra}

"""Every write of the engagement, by part of the work:

- :mod:`.events` — the plan's five events, meetings, agendas, documents.
"""

from parasat.engagement.services.events import (
    Saved,
    agenda_item_add,
    agenda_item_move,
    agenda_item_remove,
    document_add,
    event_save,
    events_plan,
    timing_warnings,
)

__all__ = [
    "Saved",
    "agenda_item_add",
    "agenda_item_move",
    "agenda_item_remove",
    "document_add",
    "event_save",
    "events_plan",
    "timing_warnings",
]

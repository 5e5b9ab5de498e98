"""Every write of the engagement, by part of the work:

- :mod:`.events` — the plan's five events, meetings, agendas, documents;
- :mod:`.invitations` — invitations, replies, attendance.
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
from parasat.engagement.services.invitations import (
    Guest,
    attendance_take,
    invitation_reply,
    invitations_send,
)

__all__ = [
    "Guest",
    "attendance_take",
    "invitation_reply",
    "invitations_send",
    "Saved",
    "agenda_item_add",
    "agenda_item_move",
    "agenda_item_remove",
    "document_add",
    "event_save",
    "events_plan",
    "timing_warnings",
]

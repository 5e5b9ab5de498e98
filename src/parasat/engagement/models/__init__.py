"""Engagement (Annex I §IV.3–5, §IV.10, §V): the events of a review and the
consultations of civil society and business.

- :mod:`.events` — events with their agendas and documents;
- :mod:`.invitations` — who is invited, their replies and attendance.
"""

from parasat.engagement.models.events import AgendaItem, Event, EventDocument
from parasat.engagement.models.invitations import Invitation

__all__ = ["AgendaItem", "Event", "EventDocument", "Invitation"]

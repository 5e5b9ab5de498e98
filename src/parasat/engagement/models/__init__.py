"""Engagement (Annex I §IV.3–5, §IV.10, §V): the events of a review and the
consultations of civil society and business.

- :mod:`.events` — events with their agendas and documents.
"""

from parasat.engagement.models.events import AgendaItem, Event, EventDocument

__all__ = ["AgendaItem", "Event", "EventDocument"]

"""Engagement (Annex I §IV.3–5, §IV.10, §V): the events of a review and the
consultations of civil society and business.

- :mod:`.events` — events with their agendas and documents;
- :mod:`.invitations` — who is invited, their replies and attendance;
- :mod:`.minutes` — minutes with their versions and amendments, decisions;
- :mod:`.consultations` — consultations, contributions, responses;
- :mod:`.surveys` — stakeholder surveys, their responses and citations.
"""

from parasat.engagement.models.consultations import (
    Channel,
    Consultation,
    Contribution,
    ContributionAttachment,
    Response,
)
from parasat.engagement.models.events import AgendaItem, Event, EventDocument
from parasat.engagement.models.invitations import Invitation
from parasat.engagement.models.minutes import (
    Decision,
    Minutes,
    MinutesAmendment,
    MinutesIsFrozen,
    MinutesVersion,
)
from parasat.engagement.models.surveys import (
    RespondentGroup,
    Survey,
    SurveyAnswer,
    SurveyCitation,
    SurveyResponse,
    SurveyToken,
)

__all__ = [
    "Channel",
    "Consultation",
    "Contribution",
    "ContributionAttachment",
    "Response",
    "AgendaItem",
    "Decision",
    "Event",
    "EventDocument",
    "Invitation",
    "Minutes",
    "MinutesAmendment",
    "MinutesIsFrozen",
    "MinutesVersion",
    "RespondentGroup",
    "Survey",
    "SurveyAnswer",
    "SurveyCitation",
    "SurveyResponse",
    "SurveyToken",
]

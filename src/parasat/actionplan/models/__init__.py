"""The action plan and its monitoring (Sections IV.9–10, VI and VII).

- :mod:`.plan` — the plan, its adopted versions, the positions on
  recommendations, measures (nested) and their indicators;
- :mod:`.monitoring` — progress reports with their evidence, the assessments
  of measures (the government's and an independent one), reminders.
"""

from parasat.actionplan.models.monitoring import (
    MeasureAssessment,
    ProgressEvidence,
    ProgressReport,
    Reminder,
    ReportTransition,
)
from parasat.actionplan.models.plan import (
    FREQUENCY_MONTHS,
    BudgetSource,
    Completion,
    Frequency,
    Indicator,
    Measure,
    Plan,
    PlanVersion,
    Position,
    Schedule,
    Unit,
)

__all__ = [
    "FREQUENCY_MONTHS",
    "BudgetSource",
    "Completion",
    "Frequency",
    "Indicator",
    "Measure",
    "MeasureAssessment",
    "Plan",
    "PlanVersion",
    "Position",
    "ProgressEvidence",
    "ProgressReport",
    "Reminder",
    "ReportTransition",
    "Schedule",
    "Unit",
]

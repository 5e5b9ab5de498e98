"""The analysis (Annex I §IV steps 4–8): once an area's answers are forwarded,
the analytical team assesses the area against international good practice,
names strengths, weaknesses and gaps, rates it and proposes priority reforms.

- :mod:`.scales` — the library of rating scales and the ones a review uses;
- :mod:`.assessments` — an area's assessment with its findings, ratings,
  recommendations, versions, transitions and comments, and the government's
  own rating beside the team's.
"""

from parasat.analysis.models.assessments import (
    AnalysisStage,
    AreaAssessment,
    AssessmentComment,
    AssessmentTransition,
    AssessmentVersion,
    Finding,
    GovernmentRating,
    Priority,
    Rating,
    RatingSource,
    Recommendation,
)
from parasat.analysis.models.scales import RatingLevel, RatingScale, ReviewScale

__all__ = [
    "AnalysisStage",
    "AreaAssessment",
    "AssessmentComment",
    "AssessmentTransition",
    "AssessmentVersion",
    "Finding",
    "GovernmentRating",
    "Priority",
    "Rating",
    "RatingLevel",
    "RatingScale",
    "RatingSource",
    "Recommendation",
    "ReviewScale",
]

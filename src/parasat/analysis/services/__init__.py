"""Every write of the analysis (see each module)."""

from parasat.analysis.services.content import (
    ExternalSource,
    assessment_edit,
    assessment_start,
    finding_save,
    finding_withdraw,
    government_rating_give,
    rating_save,
    recommendation_save,
)
from parasat.analysis.services.scales import (
    read_scales_file,
    review_scales_set,
    scales_load,
    scales_load_file,
    scales_load_shipped,
)
from parasat.analysis.services.workflow import (
    analysis_open_to_peers,
    analysis_publish,
    assessment_agree,
    assessment_reopen,
    assessment_return,
    assessment_send_for_review,
    comment_post,
    problems,
)

__all__ = [
    "ExternalSource",
    "analysis_open_to_peers",
    "analysis_publish",
    "assessment_agree",
    "assessment_edit",
    "assessment_reopen",
    "assessment_return",
    "assessment_send_for_review",
    "assessment_start",
    "comment_post",
    "finding_save",
    "finding_withdraw",
    "government_rating_give",
    "problems",
    "rating_save",
    "read_scales_file",
    "recommendation_save",
    "review_scales_set",
    "scales_load",
    "scales_load_file",
    "scales_load_shipped",
]

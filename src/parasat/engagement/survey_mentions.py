"""The surveys' answer to the analysis's question "what else speaks of this
finding?" (:mod:`parasat.analysis.mentions`): the survey results it cites,
each linking to the question's result. The results page itself stays behind
its audience (:mod:`parasat.engagement.access_surveys`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from parasat.analysis.mentions import Mention
from parasat.engagement.models import SurveyCitation


def survey_results_cited(
    review_id: int, finding_ids: list[int], recommendation_ids: list[int]
) -> dict[tuple[str, int], list[Mention]]:
    found: dict[tuple[str, int], list[Mention]] = {}
    if not finding_ids:
        return found
    rows = (
        SurveyCitation.objects.filter(survey__review=review_id, finding__in=finding_ids)
        .select_related("survey__review", "question")
        .order_by("survey", "question__order")
    )
    for citation in rows:
        survey = citation.survey
        label = _("survey “%(survey)s”, question %(question)s") % {
            "survey": survey.title,
            "question": citation.question.code or citation.question.name,
        }
        url = (
            reverse("engagement:survey", args=[survey.review.slug, survey.pk])
            + f"#q-{citation.question.name}"
        )
        found.setdefault(("finding", citation.finding_id), []).append(Mention(label=label, url=url))
    return found

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
    # Read as values, not citation, survey, review and question objects; in
    # the order of the surveys (newest first, as Survey orders them) and of
    # the questions.
    rows = (
        SurveyCitation.objects.filter(survey__review=review_id, finding__in=finding_ids)
        .order_by("-survey__created_at", "survey_id", "question__order")
        .values_list(
            "finding_id",
            "survey_id",
            "survey__title",
            "survey__review__slug",
            "question__code",
            "question__name",
        )
    )
    for finding_id, survey_id, title, slug, code, name in rows:
        label = _("survey “%(survey)s”, question %(question)s") % {
            "survey": title,
            "question": code or name,
        }
        url = reverse("engagement:survey", args=[slug, survey_id]) + f"#q-{name}"
        found.setdefault(("finding", finding_id), []).append(Mention(label=label, url=url))
    return found

"""Who reaches which survey. Views, exports and the job reach surveys only
through here.

The analytical team and the co-ordinator run the surveys and read every
result. The results are theirs until published; then whoever of the review
reads the level the survey names (:mod:`parasat.reviews.disclosure`) reads
them too. Respondents reach a survey only through its link: the public link
of an anonymous survey, or their own emailed link."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from parasat.core.lib.forms import parse_pk
from parasat.engagement.access import EngagementReader
from parasat.engagement.models import Survey, SurveyToken
from parasat.reviews.permissions import Perm


def runs_surveys(reader: EngagementReader) -> bool:
    return reader.can(Perm.RUN_SURVEYS)


def readable_surveys(reader: EngagementReader) -> QuerySet[Survey]:
    """The surveys the reader sees: all for those who run them, the published
    results at a level their audience reads for the others."""
    rows = Survey.objects.filter(review=reader.review)
    if runs_surveys(reader):
        return rows
    return rows.filter(
        Q(results_published_at__isnull=False)
        & reader.audience.level_filter("results_confidentiality")
    )


def reads_results(reader: EngagementReader, survey: Survey) -> bool:
    return runs_surveys(reader) or (
        survey.results_published_at is not None
        and (
            reader.audience.whole_government
            or reader.audience.reads(survey.results_confidentiality)
        )
    )


def get_survey(reader: EngagementReader, pk: object) -> Survey:
    """A survey of the reader's review they may see; 404 for any other (a
    survey whose results they may not read is not shown to exist)."""
    number = parse_pk(pk)
    found = (
        Survey.objects.select_related("questionnaire")
        .filter(pk=number, review=reader.review)
        .first()
        if number
        else None
    )
    if found is None or not reads_results(reader, found):
        raise Http404
    found.review = reader.review
    return found


def get_public_survey(slug: str, link: str) -> Survey:
    """An anonymous survey that is or was open, by its link, for anyone; 404 otherwise."""
    found = (
        Survey.objects.select_related("review", "questionnaire")
        .filter(review__slug=slug, link=link, mode=Survey.Mode.ANONYMOUS)
        .exclude(state=Survey.State.DRAFT)
        .first()
        if link
        else None
    )
    if found is None:
        raise Http404
    return found


def get_token(slug: str, token: str) -> SurveyToken:
    """A respondent's emailed link, with its survey; 404 for any other."""
    found = (
        SurveyToken.objects.select_related("survey__review", "survey__questionnaire")
        .filter(token=token, survey__review__slug=slug)
        .exclude(survey__state=Survey.State.DRAFT)
        .first()
        if token
        else None
    )
    if found is None:
        raise Http404
    return found

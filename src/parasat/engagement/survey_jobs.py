"""The surveys' long work, run by the task worker as a job: the import of
responses collected in the field (thousands of rows), with its progress."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from parasat.engagement import survey_charts
from parasat.engagement.models import Survey
from parasat.engagement.selectors_surveys import survey_results
from parasat.engagement.services import survey_imports
from parasat.jobs.models import Job
from parasat.jobs.registry import JobError, JobKind, Outcome, Progress, register
from parasat.reviews.access import check_review_access
from parasat.reviews.permissions import Perm

IMPORT = "engagement.survey_import"


def run_import(job: Job, progress: Progress) -> Outcome:
    try:
        access = check_review_access(job.requested_by, job.review, perm=Perm.RUN_SURVEYS)
    except (Http404, PermissionDenied):
        raise JobError(_("Your role in this review no longer allows this.")) from None
    survey = Survey.objects.filter(pk=job.params.get("survey"), review=access.review).first()
    if survey is None:
        raise JobError(_("The survey no longer exists."))
    progress(2, _("Reading the file…"))
    with job.input.open("rb") as stored:
        upload = File(stored, name=job.input_name)
        try:
            result = survey_imports.import_responses(survey=survey, upload=upload, report=progress)
        except ValidationError as exc:
            raise JobError(" ".join(exc.messages)) from None
    if not result.ok:
        raise JobError(
            _("Nothing was imported: correct what is listed and upload the file again."),
            html=render_to_string("engagement/surveys/_import_report.html", {"result": result}),
        )
    if result.added:
        # Counting hundreds of thousands of answers and drawing a chart per
        # question takes seconds: done here, the team's first look is quick.
        progress(99, _("Counting the results…"))
        results = survey_results(survey)
        for question in results.questions:
            survey_charts.question_svg(question, results.groups)
    summary = ngettext(
        "%(count)s response was added.", "%(count)s responses were added.", result.added
    ) % {"count": result.added}
    if result.already:
        summary += " " + ngettext(
            "%(count)s submission was already in the survey and was left out.",
            "%(count)s submissions were already in the survey and were left out.",
            result.already,
        ) % {"count": result.already}
    return Outcome(
        summary=summary,
        next_url=reverse("engagement:survey", args=[access.review.slug, survey.pk]),
    )


register(
    JobKind(
        name=IMPORT,
        label=gettext_lazy("Import of survey responses collected in the field"),
        run=run_import,
        perm=Perm.RUN_SURVEYS,
    )
)

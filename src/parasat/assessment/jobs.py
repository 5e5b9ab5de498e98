"""The self-assessment's long work, run by the task worker as jobs: the
answers export and the import of answers collected in the field."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from parasat.assessment import access, exports, imports
from parasat.assessment.models import Assignment
from parasat.jobs.models import Job
from parasat.jobs.registry import JobError, JobKind, Outcome, Progress, register
from parasat.reviews.permissions import Perm

EXPORT = "assessment.answers_export"
IMPORT = "assessment.answers_import"


def _reader(job: Job, perm: Perm) -> access.Reader:
    """The requester as they stand now: a role lost since the request stops the job."""
    try:
        return access.get_reader(job.requested_by, job.review.slug, perm=perm)
    except (Http404, PermissionDenied):
        raise JobError(_("Your role in this review no longer allows this.")) from None


def run_export(job: Job, progress: Progress) -> Outcome:
    reader = _reader(job, Perm.VIEW_ASSESSMENT)
    fmt = job.params.get("format", "")
    if fmt not in exports.FORMATS:
        raise JobError(_("This export format is not known."))
    progress(2, _("Reading the answers…"))
    content = exports.export_answers(reader, fmt, progress=progress)
    return Outcome(
        summary=_("The answers you may read are ready to download."),
        content=content,
        filename=exports.filename(reader, fmt),
        content_type=exports.FORMATS[fmt],
    )


def run_import(job: Job, progress: Progress) -> Outcome:
    reader = _reader(job, Perm.IMPORT_ANSWERS)
    assignment = Assignment.objects.filter(
        review=reader.review, pk=job.params.get("assignment")
    ).first()
    if assignment is None:
        raise JobError(_("The assignment of this import no longer exists."))
    progress(5, _("Checking every value of the file…"))
    with job.input.open("rb") as stored:
        upload = File(stored, name=job.input_name)
        try:
            result = imports.import_answers(
                assignment=assignment,
                upload=upload,
                by=job.requested_by,
                use_last_row=bool(job.params.get("use_last_row")),
            )
        except ValidationError as exc:
            raise JobError(" ".join(exc.messages)) from None
    if not result.ok:
        raise JobError(
            _("Nothing was imported: correct what is listed and upload the file again."),
            html=render_to_string("assessment/_import_report.html", {"result": result}),
        )
    row = result.submission.row if result.submission else 0
    summary = ngettext(
        "Row %(row)s was imported: %(count)s answer was saved as a new version.",
        "Row %(row)s was imported: %(count)s answers were saved as new versions.",
        len(result.saved),
    ) % {"row": row, "count": len(result.saved)}
    return Outcome(
        summary=summary,
        html=render_to_string("assessment/_import_done.html", {"result": result}),
        next_url=reverse("assessment:assignment", args=[reader.review.slug, assignment.pk]),
    )


register(
    JobKind(
        name=EXPORT,
        label=gettext_lazy("Export of the answers"),
        run=run_export,
        perm=Perm.VIEW_ASSESSMENT,
    )
)
register(
    JobKind(
        name=IMPORT,
        label=gettext_lazy("Import of answers collected in the field"),
        run=run_import,
        perm=Perm.IMPORT_ANSWERS,
    )
)

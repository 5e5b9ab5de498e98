"""The engagement's long work, run by the task worker as a job: the export of
a consultation's comment → response → change matrix (thousands of rows)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parasat.engagement import exports
from parasat.engagement.models import Consultation
from parasat.engagement.selectors_consultations import matrix_export_rows
from parasat.jobs.models import Job
from parasat.jobs.registry import JobError, JobKind, Outcome, Progress, register
from parasat.reviews.access import check_review_access
from parasat.reviews.permissions import Perm

MATRIX_EXPORT = "engagement.matrix_export"


def run_matrix_export(job: Job, progress: Progress) -> Outcome:
    try:
        access = check_review_access(job.requested_by, job.review, perm=Perm.VIEW_CONTRIBUTIONS)
    except (Http404, PermissionDenied):
        raise JobError(_("Your role in this review no longer allows this.")) from None
    consultation = Consultation.objects.filter(
        pk=job.params.get("consultation"), review=access.review
    ).first()
    if consultation is None:
        raise JobError(_("The consultation no longer exists."))
    fmt = job.params.get("format", "xlsx")
    progress(2, _("Reading the contributions…"))
    # Three queries whatever the size; a consultation has some thousands of
    # contributions, held in memory at once.
    found = matrix_export_rows(consultation)
    table = progress.each(
        exports.matrix_rows(
            found.rows,
            files=found.files,
            responders=found.responders,
            names=access.can(Perm.RUN_CONSULTATIONS),
        ),
        total=len(found.rows),
        start=2,
        end=95,
        message=_("Writing the rows…"),
    )
    content = exports.matrix_file(fmt, table)
    day = timezone.localdate().isoformat()
    return Outcome(
        summary=_("The matrix is ready to download."),
        content=content,
        filename=f"{access.review.slug}-consultation-{consultation.pk}-matrix-{day}.{fmt}",
        content_type=exports.FORMATS[fmt],
    )


register(
    JobKind(
        name=MATRIX_EXPORT,
        label=gettext_lazy("Export of a consultation's matrix"),
        run=run_matrix_export,
        perm=Perm.VIEW_CONTRIBUTIONS,
    )
)


# The surveys register their kinds in their own module.
from parasat.engagement import survey_jobs  # noqa: E402, F401

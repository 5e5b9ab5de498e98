"""Finance's long work, run by the task worker as jobs: the import of ledger
entries from a spreadsheet and the final financial report as PDF."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from parasat.finance import exports, selectors, services
from parasat.jobs.models import Job
from parasat.jobs.registry import JobError, JobKind, Outcome, Progress, register
from parasat.reviews.access import ReviewAccess, check_review_access
from parasat.reviews.permissions import Perm

IMPORT = "finance.entries_import"
REPORT_PDF = "finance.report_pdf"


def _access(job: Job, perm: Perm) -> ReviewAccess:
    try:
        return check_review_access(job.requested_by, job.review, perm=perm)
    except (Http404, PermissionDenied):
        raise JobError(_("Your role in this review no longer allows this.")) from None


def run_import(job: Job, progress: Progress) -> Outcome:
    access = _access(job, Perm.EDIT_FINANCE)
    progress(5, _("Checking every row of the sheet…"))
    with job.input.open("rb") as stored:
        try:
            result = services.entries_import(
                review=access.review, upload=File(stored, name=job.input_name), by=job.requested_by
            )
        except ValidationError as exc:
            raise JobError(" ".join(exc.messages)) from None
    if not result.ok:
        raise JobError(
            _("Nothing was imported: correct the rows listed and upload the sheet again."),
            html=render_to_string("finance/_import_errors.html", {"result": result}),
        )
    count = len(result.created)
    return Outcome(
        summary=ngettext("%(count)s entry was imported.", "%(count)s entries were imported.", count)
        % {"count": count},
        next_url=reverse("finance:home", args=[access.review.slug]),
    )


def run_report_pdf(job: Job, progress: Progress) -> Outcome:
    access = _access(job, Perm.VIEW_FINANCE)
    progress(5, _("Reading the ledger…"))
    report = selectors.final_report(access.review, today=timezone.localdate())
    if report is None:
        raise JobError(_("No budget has been recorded for this review yet."))
    progress(20, _("Laying out the pages…"))
    pdf = exports.report_pdf(report)
    return Outcome(
        summary=_("The final financial report is ready to download."),
        content=pdf,
        filename=f"financial-report-{access.review.slug}-{job.language}.pdf",
        content_type="application/pdf",
    )


register(
    JobKind(
        name=IMPORT,
        label=gettext_lazy("Import of ledger entries"),
        run=run_import,
        perm=Perm.EDIT_FINANCE,
    )
)
register(
    JobKind(
        name=REPORT_PDF,
        label=gettext_lazy("Final financial report (PDF)"),
        run=run_report_pdf,
        perm=Perm.VIEW_FINANCE,
    )
)

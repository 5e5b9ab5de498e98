"""The report's long work, run by the task worker as jobs: the PDF of a
version in one language. A PDF is kept with its version and language, and
not built again while the version's text is the same (its digest)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parasat.accounts.models import User
from parasat.core.lib.translated import content_languages
from parasat.jobs.models import Job
from parasat.jobs.registry import JobError, JobKind, Outcome, Progress, register
from parasat.jobs.services import job_start
from parasat.reports import pdf
from parasat.reports.models import Report, ReportPdf, ReportVersion
from parasat.reviews.permissions import Perm

PDF = "reports.pdf"


def pdf_filename(version: ReportVersion, language: str) -> str:
    return f"report-{version.report.review.slug}-v{version.number}-{language}.pdf"


def build_pdf(version: ReportVersion, language: str, progress: Progress | None = None) -> ReportPdf:
    """The PDF of ``version`` in ``language``: the one kept if its text is
    unchanged, else built now and kept."""
    kept = ReportPdf.objects.filter(version=version, language=language).first()
    if kept is not None and kept.digest == version.digest and kept.file:
        return kept
    if progress:
        progress(10, _("Laying out the text…"))
    html = pdf.report_html(version.content, language, review_title=str(version.report.review.title))
    if progress:
        progress(30, _("Setting the pages…"))
    data = pdf.pdf_from_html(html)
    if progress:
        progress(90, _("Keeping the file…"))
    with transaction.atomic():
        made, _created = ReportPdf.objects.select_for_update().get_or_create(
            version=version,
            language=language,
            defaults={"digest": version.digest, "built_at": timezone.now()},
        )
        if made.file:
            made.file.delete(save=False)
        made.file.save(pdf_filename(version, language), ContentFile(data), save=False)
        made.digest = version.digest
        made.size = len(data)
        made.built_at = timezone.now()
        made.save()
    return made


def run_pdf(job: Job, progress: Progress) -> Outcome:
    version = (
        ReportVersion.objects.select_related("report__review")
        .filter(pk=job.params.get("version"), report__review=job.review)
        .first()
    )
    language = job.params.get("language", "")
    if version is None or language not in content_languages():
        raise JobError(_("This version of the report no longer exists."))
    made = build_pdf(version, language, progress)
    with made.file.open("rb") as stored:
        data = stored.read()
    return Outcome(
        summary=_("The PDF of the report is ready to download."),
        content=data,
        filename=pdf_filename(version, language),
        content_type="application/pdf",
    )


register(
    JobKind(
        name=PDF,
        label=gettext_lazy("PDF of the report"),
        run=run_pdf,
        perm=Perm.VIEW_REPORT,
    )
)


def pdfs_start(*, report: Report, by: User) -> list[Job]:
    """Queue the PDF of the report's latest version in every language not yet built."""
    version = report.versions.order_by("-number").first()
    if version is None:
        return []
    built = set(
        ReportPdf.objects.filter(version=version, digest=version.digest).values_list(
            "language", flat=True
        )
    )
    # A PDF already being built is not queued twice.
    built |= {job.params.get("language") for job in pdf_jobs(version) if not job.finished}
    return [
        job_start(
            kind=PDF,
            by=by,
            review=report.review,
            params={"version": version.pk, "language": language},
        )
        for language in content_languages()
        if language not in built
    ]


def pdf_jobs(version: ReportVersion) -> list[Job]:
    """The PDF jobs of ``version``, the latest first (one query)."""
    return list(
        Job.objects.filter(kind=PDF, params__version=version.pk)
        .only("id", "state", "progress", "message", "params", "requested_by", "created_at")
        .order_by("-created_at")
    )

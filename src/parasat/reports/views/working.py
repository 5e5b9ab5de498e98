"""The team's report pages: the working text and its sections' editor with a
live preview, the stages, every issued version with its comments and the
comparison with the previous one, the comment matrix."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from parasat.core.fields import apply_translated_edit
from parasat.core.lib.forms import add_errors, parse_pk
from parasat.core.lib.translated import TranslatedText
from parasat.reports import access, consultations, exports, jobs, rendering, selectors, services
from parasat.reports.access import ReportReader
from parasat.reports.forms import CommentForm, ImageForm, ResponseForm, SectionForm
from parasat.reports.markdown import split_blocks
from parasat.reports.models import Report, ReportPdf, ReportVersion, Section
from parasat.reports.versions import compare, snapshot
from parasat.reviews.permissions import Perm


def context(reader: ReportReader, **extra: Any) -> dict[str, Any]:
    return {
        "reader": reader,
        "access": reader.access,
        "review": reader.review,
        "report": reader.report,
        **extra,
    }


def _home(slug: str) -> str:
    return reverse("reports:home", args=[slug])


def _refused(request: HttpRequest, exc: ValidationError, to: str) -> HttpResponse:
    for message in exc.messages:
        messages.error(request, message)
    return redirect(to)


@login_required
def home(request: HttpRequest, slug: str) -> HttpResponse:
    reader = access.get_reader(request.user, slug)
    report = reader.report
    sections = []
    if report is not None and reader.writes:
        sections = selectors.working_sections(report, get_language() or "en")
    versions = selectors.versions_with_counts(reader)
    latest = versions[-1] if versions else None
    return render(
        request,
        "reports/home.html",
        context(
            reader,
            sections=sections,
            versions=versions,
            current=selectors.current_version(report) if report else None,
            latest=latest,
            pdfs=selectors.pdf_builds(latest) if latest else [],
        ),
    )


@login_required
@require_POST
def pdfs(request: HttpRequest, slug: str) -> HttpResponse:
    """Build the PDFs of the latest version not built yet, as jobs."""
    reader = access.get_reader(request.user, slug, perm=Perm.MANAGE_REPORT)
    started = jobs.pdfs_start(report=access.get_report(reader), by=request.user)
    if started:
        messages.success(request, _("The PDFs are being built: their progress is shown below."))
    else:
        messages.info(request, _("Every PDF of this version is built or being built."))
    return redirect(_home(slug) + "#h-pdf")


@login_required
def version_pdf(request: HttpRequest, slug: str, number: str, language: str) -> HttpResponse:
    """A version's PDF in one language, for those who read the version."""
    reader = access.get_reader(request.user, slug)
    found = access.get_version(reader, _version_number(number))
    built = ReportPdf.objects.filter(version=found, language=language, digest=found.digest).first()
    if built is None or not built.file:
        raise Http404
    return FileResponse(
        built.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=jobs.pdf_filename(found, language),
    )


@login_required
@require_POST
def draft(request: HttpRequest, slug: str) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.MANAGE_REPORT)
    try:
        services.report_draft(review=reader.review, by=request.user)
    except ValidationError as exc:
        return _refused(request, exc, _home(slug))
    messages.success(request, _("The report is drafted from the agreed analysis."))
    return redirect(_home(slug))


STEPS = {
    "issue": (services.report_issue, lambda: _("The stage is issued and frozen.")),
    "advance": (services.report_advance, lambda: _("The next stage is open for drafting.")),
    "publish": (services.report_publish, lambda: _("The final report is published.")),
}


@login_required
@require_POST
def step(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    if name not in STEPS:
        raise Http404
    reader = access.get_reader(request.user, slug, perm=Perm.MANAGE_REPORT)
    report = access.get_report(reader)
    service, done = STEPS[name]
    try:
        service(report=report, by=request.user)
    except ValidationError as exc:
        return _refused(request, exc, _home(slug))
    if name == "publish":
        jobs.pdfs_start(report=report, by=request.user)
    messages.success(request, done())
    return redirect(_home(slug))


def section_of(report: Report, key: str) -> Section:
    section = Section.objects.filter(report=report, key=key).first()
    if section is None:
        raise Http404
    return section


def _preview(report: Report, section: Section, markdown: str) -> rendering.SectionView:
    content = snapshot(report)
    target = rendering.find_section(content, section.key)
    target["paragraphs"] = [
        {"id": f"preview-{n}", "anchor": "", "text": TranslatedText.fresh({"en": block}).to_json()}
        for n, block in enumerate(split_blocks(markdown), start=1)
    ]
    # A work of the bibliography cited for the first time joins the references
    # when the section is saved: the preview links it there already.
    references = rendering.find_section(content, services.REFERENCES)
    if references is not None:
        listed = {p["anchor"] for p in references["paragraphs"]}
        cited = set(services.CITE.findall(markdown)) & selectors.bibliography_codes()
        references["paragraphs"] += [
            {"id": f"ref-{code}", "anchor": f"ref-{code}", "text": {"en": code}}
            for code in sorted(cited)
            if f"ref-{code}" not in listed
        ]
    return rendering.render_sections(
        content,
        "en",
        lambda key: reverse("reports:edit", args=[report.review.slug, key]),
        only=section.key,
    )[0]


def stage_frozen(request: HttpRequest, report: Report, slug: str) -> HttpResponse:
    """Back to the report's page, saying why nothing can be edited now."""
    return _refused(
        request,
        ValidationError(
            _("The %(stage)s is issued and frozen: it cannot be changed.")
            % {"stage": report.get_stage_display().lower()}
        ),
        _home(slug),
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.DRAFT_REPORT)
    report = access.get_report(reader)
    section = section_of(report, key)
    if not report.is_editable:
        return stage_frozen(request, report, slug)
    paragraphs = list(section.paragraphs.order_by("order"))
    markdown = "\n\n".join(p.text.source for p in paragraphs)
    form = SectionForm(
        request.POST or None, initial={"markdown": markdown, "revision": section.revision}
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.section_save(
                section=section,
                by=request.user,
                markdown=form.cleaned_data["markdown"],
                base_revision=form.cleaned_data["revision"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The section is saved: %(added)s paragraphs added, %(changed)s changed, "
                    "%(removed)s removed."
                )
                % {"added": saved.added, "changed": saved.changed, "removed": saved.removed},
            )
            return redirect(reverse("reports:edit", args=[slug, key]))
    text = form.data.get("markdown", markdown) if form.is_bound else markdown
    return render(
        request,
        "reports/edit.html",
        context(
            reader,
            section=section,
            form=form,
            preview=_preview(report, section, text),
            bibliography=selectors.bibliography(get_language() or "en"),
            images=selectors.images(report, get_language() or "en"),
            image_form=ImageForm(),
        ),
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def image(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """Upload an image as a figure, from a section's editor."""
    reader = access.get_reader(request.user, slug, perm=Perm.DRAFT_REPORT)
    report = access.get_report(reader)
    section_of(report, key)  # 404 for a section the report does not have
    to = reverse("reports:edit", args=[slug, key])
    form = ImageForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            figure = services.image_add(
                report=report,
                by=request.user,
                key=data["key"],
                title=apply_translated_edit(None, data["title"]),
                alt=apply_translated_edit(None, data["alt"]),
                upload=data["file"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("The image is added: place it with %(code)s alone on a line.")
                % {"code": "{{figure:" + figure.key + "}}"},
            )
            return redirect(to + "#h-images")
    for field, errors in form.errors.items():
        for error in errors:
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {error}" if label else error)
    return redirect(to + "#h-images")


@login_required
@require_POST
def preview(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.DRAFT_REPORT)
    report = access.get_report(reader)
    section = section_of(report, key)
    view = _preview(report, section, request.POST.get("markdown", "")[: services.MAX_SECTION])
    return render(request, "reports/_preview.html", {"preview": view})


def _version_number(value: str) -> int:
    number = parse_pk(value)
    if number is None:
        raise Http404
    return number


@login_required
def version(request: HttpRequest, slug: str, number: str, key: str = "") -> HttpResponse:
    reader = access.get_reader(request.user, slug)
    found = access.get_version(reader, _version_number(number))
    content = found.content
    keys = [s["key"] for s in content["sections"]]
    key = key or keys[0]
    section = rendering.find_section(content, key)
    if section is None:
        raise Http404
    language = get_language() or "en"
    view = rendering.render_sections(
        content,
        language,
        lambda k: reverse("reports:version_section", args=[slug, found.number, k]),
        only=key,
    )[0]
    comments = selectors.comments(found, section_key=key)
    may_comment = reader.may_comment(found)
    form = None
    if may_comment:
        form = CommentForm(
            paragraphs=selectors.paragraph_choices(section, language),
            initial={"pid": request.GET.get("pid", "")},
        )
    toc = [
        (s["key"], rendering.section_label(s, rendering.numbers(content).get(s["key"]), language))
        for s in content["sections"]
    ]
    return render(
        request,
        "reports/version.html",
        context(
            reader,
            version=found,
            view=view,
            toc=toc,
            section_key=key,
            comments=comments,
            form=form,
            response_form=ResponseForm(),
        ),
    )


@login_required
@require_POST
def comment(request: HttpRequest, slug: str, number: str, key: str) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.COMMENT_REPORT)
    found = access.get_version(reader, _version_number(number))
    if not reader.may_comment(found):
        raise PermissionDenied
    to = reverse("reports:version_section", args=[slug, found.number, key])
    try:
        made = services.comment_post(
            version=found,
            by=request.user,
            section_key=key,
            pid=request.POST.get("pid", ""),
            quote=request.POST.get("quote", ""),
            body=request.POST.get("body", ""),
        )
    except ValidationError as exc:
        return _refused(request, exc, to)
    messages.success(request, _("Your comment is recorded."))
    return redirect(f"{to}#comment-{made.pk}")


@login_required
@require_POST
def respond(request: HttpRequest, slug: str, pk: str) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.DRAFT_REPORT)
    found = access.get_comment(reader, _version_number(pk))
    if not reader.may_respond(found):
        raise PermissionDenied
    to = reverse("reports:version_section", args=[slug, found.version.number, found.section_key])
    try:
        services.comment_respond(
            comment=found,
            by=request.user,
            response=request.POST.get("response", ""),
            reason=request.POST.get("reason", ""),
            change=request.POST.get("change", ""),
        )
    except ValidationError as exc:
        return _refused(request, exc, f"{to}#comment-{found.pk}")
    messages.success(request, _("The response is recorded."))
    return redirect(f"{to}#comment-{found.pk}")


@login_required
def changes(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    reader = access.get_reader(request.user, slug)
    found = access.get_version(reader, _version_number(number))
    previous = ReportVersion.objects.filter(report=found.report, number=found.number - 1).first()
    if previous is None or not reader.reads(previous):
        raise Http404
    language = get_language() or "en"
    return render(
        request,
        "reports/compare.html",
        context(
            reader,
            version=found,
            previous=previous,
            sections=[s for s in compare(previous.content, found.content, language) if s.changed],
        ),
    )


@login_required
def matrix(request: HttpRequest, slug: str, number: str, fmt: str = "") -> HttpResponse:
    reader = access.get_reader(request.user, slug)
    found = access.get_version(reader, _version_number(number))
    language = get_language() or "en"
    rows = selectors.matrix(found, language)
    # The consultation on the draft report: for those who read its contributions.
    contributions = (
        consultations.contribution_rows(found, language)
        if reader.can(Perm.VIEW_CONTRIBUTIONS)
        else []
    )
    if fmt:
        return exports.matrix_download(found, rows, fmt, contributions)
    return render(
        request,
        "reports/matrix.html",
        context(reader, version=found, rows=rows, contributions=contributions),
    )


urlpatterns = [
    path("", home, name="home"),
    path("draft/", draft, name="draft"),
    path("step/<str:name>/", step, name="step"),
    path("pdfs/", pdfs, name="pdfs"),
    path("v/<str:number>/pdf/<str:language>/", version_pdf, name="version_pdf"),
    path("edit/<slug:key>/", edit, name="edit"),
    path("edit/<slug:key>/preview/", preview, name="preview"),
    path("edit/<slug:key>/image/", image, name="image"),
    path("v/<str:number>/", version, name="version"),
    path("v/<str:number>/changes/", changes, name="changes"),
    path("v/<str:number>/matrix/", matrix, name="matrix"),
    path("v/<str:number>/matrix.<str:fmt>", matrix, name="matrix_download"),
    path("v/<str:number>/<slug:key>/", version, name="version_section"),
    path("v/<str:number>/<slug:key>/comment/", comment, name="comment"),
    path("comments/<str:pk>/respond/", respond, name="respond"),
]

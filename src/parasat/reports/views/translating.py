"""Translation files of the working text: export for translators (XLIFF,
XLSX) and import of their work, refused whole or row by row with each
reason named, nothing written until every row is right."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from parasat.core.lib.forms import add_errors
from parasat.reports import access, selectors, services, translations
from parasat.reports.forms import TranslationImportForm
from parasat.reports.views.working import context, section_of, stage_frozen
from parasat.reviews.permissions import Perm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TARGETS = ("kk", "ru")


@login_required
@require_http_methods(["GET", "POST"])
def translations_page(request: HttpRequest, slug: str) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.DRAFT_REPORT)
    report = access.get_report(reader)
    form = TranslationImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            label, language, rows = translations.read_upload(form.cleaned_data["file"])
            if language and language != form.cleaned_data["language"]:
                raise ValidationError(
                    _("The file holds a translation into %(file)s, not %(chosen)s.")
                    % {"file": language, "chosen": form.cleaned_data["language"]}
                )
            result = services.translations_import(
                report=report,
                by=request.user,
                language=form.cleaned_data["language"],
                label=label,
                rows=rows,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if result.ok:
                messages.success(
                    request,
                    _("%(applied)s paragraphs translated, %(unchanged)s unchanged.")
                    % {"applied": result.applied, "unchanged": result.unchanged},
                )
                return redirect(reverse("reports:translations", args=[slug]))
            errors = result.errors
    return render(
        request,
        "reports/translations.html",
        context(
            reader,
            form=form,
            errors=errors,
            sections=selectors.working_sections(report, get_language() or "en"),
            targets=TARGETS,
            label=services.version_label(report),
        ),
        status=400 if form.errors or errors else 200,
    )


@login_required
def translations_export(request: HttpRequest, slug: str, language: str, fmt: str) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.DRAFT_REPORT)
    report = access.get_report(reader)
    if language not in TARGETS or fmt not in ("xlf", "xlsx"):
        raise Http404
    if fmt == "xlf":
        data, content_type = translations.xliff_export(report, language), "application/x-xliff+xml"
    else:
        data, content_type = translations.xlsx_export(report, language), XLSX
    response = HttpResponse(data, content_type=content_type)
    name = f"report-{slug}-{report.stage}-r{report.revision}-{language}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def translate_section(request: HttpRequest, slug: str, key: str, language: str) -> HttpResponse:
    """Every paragraph of a section beside its English, with its mark
    (missing, stale) and a box for the translation; saved together."""
    reader = access.get_reader(request.user, slug, perm=Perm.DRAFT_REPORT)
    report = access.get_report(reader)
    if language not in TARGETS:
        raise Http404
    section = section_of(report, key)
    paragraphs = list(section.paragraphs.order_by("order"))
    if request.method == "POST":
        if not report.is_editable:
            return stage_frozen(request, report, slug)
        try:
            with transaction.atomic():
                changed = 0
                for paragraph in paragraphs:
                    text = request.POST.get(f"text-{paragraph.pid}")
                    confirm = request.POST.get(f"confirm-{paragraph.pid}") == "1"
                    if text is None:
                        continue
                    if text.strip() != paragraph.text.get(language) or confirm:
                        services.paragraph_translate(
                            paragraph=paragraph,
                            by=request.user,
                            language=language,
                            text=text,
                            confirm=confirm,
                        )
                        changed += 1
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(count)s paragraphs saved.") % {"count": changed})
        return redirect(reverse("reports:translate_section", args=[slug, key, language]))
    rows = [
        {
            "pid": p.pid,
            "english": p.text.source,
            "text": p.text.get(language),
            "status": str(p.text.status(language)),
        }
        for p in paragraphs
    ]
    return render(
        request,
        "reports/translate_section.html",
        context(reader, section=section, rows=rows, language=language),
    )


urlpatterns = [
    path(
        "translations/<slug:key>/<str:language>/",
        translate_section,
        name="translate_section",
    ),
    path("translations/", translations_page, name="translations"),
    path(
        "translations/<str:language>.<str:fmt>",
        translations_export,
        name="translations_export",
    ),
]

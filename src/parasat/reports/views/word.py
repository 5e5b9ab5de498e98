"""The Word round trip: a section or the whole working text as DOCX; an
edited DOCX of a section read back, its differences shown paragraph by
paragraph, and saved only when the writer accepts them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from parasat.core.lib.forms import add_errors
from parasat.reports import access, docx, services
from parasat.reports.views.working import context, section_of, stage_frozen
from parasat.reviews.permissions import Perm

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DocxForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Edited Word document (.docx)"))


@login_required
def export(request: HttpRequest, slug: str, key: str = "") -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.DRAFT_REPORT)
    report = access.get_report(reader)
    section = section_of(report, key) if key else None
    response = HttpResponse(docx.export_docx(report, section), content_type=DOCX)
    name = f"report-{slug}-{key or 'whole'}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_docx(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.DRAFT_REPORT)
    report = access.get_report(reader)
    section = section_of(report, key)
    if not report.is_editable:
        return stage_frozen(request, report, slug)
    if request.POST.get("accept"):
        try:
            saved = services.section_save(
                section=section,
                by=request.user,
                markdown=request.POST.get("markdown", ""),
                base_revision=int(request.POST.get("revision") or -1),
            )
        except (ValidationError, ValueError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            return redirect(reverse("reports:word_import", args=[slug, key]))
        messages.success(
            request,
            _("The Word document is accepted: %(changed)s paragraphs changed.")
            % {"changed": saved.added + saved.changed + saved.removed},
        )
        return redirect(reverse("reports:edit", args=[slug, key]))
    form = DocxForm(request.POST or None, request.FILES or None)
    changes, markdown = None, ""
    if request.method == "POST" and form.is_valid():
        try:
            markdown = docx.import_docx(section, form.cleaned_data["file"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            changes = [c for c in services.section_changes(section, markdown) if c.op != "same"]
    return render(
        request,
        "reports/word_import.html",
        context(reader, section=section, form=form, changes=changes, markdown=markdown),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_docx_all(request: HttpRequest, slug: str) -> HttpResponse:
    """An edited DOCX of the whole report: the differences of every section
    shown paragraph by paragraph, all saved together once accepted."""
    reader = access.get_reader(request.user, slug, perm=Perm.DRAFT_REPORT)
    report = access.get_report(reader)
    if not report.is_editable:
        return stage_frozen(request, report, slug)
    if request.POST.get("accept"):
        keys = request.POST.getlist("key")
        try:
            texts = {
                key: (
                    request.POST.get(f"markdown-{key}", ""),
                    int(request.POST.get(f"revision-{key}") or -1),
                )
                for key in keys
            }
            saved = services.sections_save(report=report, by=request.user, texts=texts)
        except (ValidationError, ValueError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            return redirect(reverse("reports:word_import_all", args=[slug]))
        messages.success(
            request,
            _("The Word document is accepted: %(changed)s paragraphs changed.")
            % {"changed": sum(s.added + s.changed + s.removed for s in saved)},
        )
        return redirect(reverse("reports:home", args=[slug]))
    form = DocxForm(request.POST or None, request.FILES or None)
    parts = None
    if request.method == "POST" and form.is_valid():
        try:
            texts = docx.import_docx_all(report, form.cleaned_data["file"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            parts = []
            for section in report.sections.filter(key__in=list(texts)).order_by("order"):
                changes = services.section_changes(section, texts[section.key])
                changes = [c for c in changes if c.op != "same"]
                if changes:
                    parts.append(
                        {"section": section, "changes": changes, "markdown": texts[section.key]}
                    )
    return render(
        request,
        "reports/word_import_all.html",
        context(reader, form=form, parts=parts),
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("word/import/", import_docx_all, name="word_import_all"),
    path("word/report.docx", export, name="word_export_all"),
    path("word/<slug:key>.docx", export, name="word_export"),
    path("word/<slug:key>/import/", import_docx, name="word_import"),
]

"""Data out and in: every answer a reader may read as XLSX or CSV, and the
co-ordinator's import of answers collected in the field with KoboToolbox or
ODK. The work is done in :mod:`parasat.assessment.exports` and
:mod:`parasat.assessment.imports`; these views check access and render."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from parasat.assessment import access, exports, imports
from parasat.assessment.models import Assignment
from parasat.assessment.views import page_context
from parasat.core.lib.forms import parse_pk
from parasat.reviews.models import Review
from parasat.reviews.permissions import Perm


@login_required
@require_GET
@never_cache
def export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """Every answer the reader may read, one row each."""
    if fmt not in exports.FORMATS:
        raise Http404
    reader = access.get_reader(request.user, slug, perm=Perm.VIEW_ASSESSMENT)
    response = HttpResponse(exports.export_answers(reader, fmt), content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = content_disposition_header(
        True, exports.filename(reader, fmt)
    )
    return response


class AssignmentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Assignment) -> str:
        return f"{obj.questionnaire.identifier} v{obj.questionnaire.version} — {obj.ministry}"


class ImportForm(forms.Form):
    assignment = AssignmentChoice(
        label=gettext_lazy("Assignment"),
        queryset=Assignment.objects.none(),
        help_text=gettext_lazy("The questionnaire and ministry whose answers the file holds."),
    )
    file = forms.FileField(
        label=gettext_lazy("Submission export (.csv or .xlsx)"),
        help_text=gettext_lazy(
            "The data export from KoboToolbox or ODK of the questionnaire exported by Parasat, "
            "with question names as headers (XML values and headers). Columns are matched to "
            "questions by name, group path or code; empty cells leave the answer as it is."
        ),
    )
    use_last_row = forms.BooleanField(
        label=gettext_lazy("Use the last row"),
        required=False,
        help_text=gettext_lazy(
            "An assignment takes one submission. If the file holds several, it is refused "
            "unless this is ticked; then only the last row is imported (the tools list "
            "submissions oldest first, so it is the newest)."
        ),
    )

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = (  # type: ignore[attr-defined]
            Assignment.objects.filter(review=review)
            .select_related("questionnaire", "ministry")
            .order_by("questionnaire__area__order", "questionnaire__identifier")
        )


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def import_answers(request: HttpRequest, slug: str) -> HttpResponse:
    """The co-ordinator reads answers collected in the field into one assignment.
    Nothing is written unless every value of the file is right."""
    reader = access.get_reader(request.user, slug, perm=Perm.IMPORT_ANSWERS)
    initial = {}
    if request.method == "GET" and (chosen := parse_pk(request.GET.get("assignment"))):
        initial["assignment"] = chosen
    form = ImportForm(
        request.POST or None, request.FILES or None, review=reader.review, initial=initial
    )
    result = None
    if request.method == "POST" and form.is_valid():
        assignment = form.cleaned_data["assignment"]
        try:
            result = imports.import_answers(
                assignment=assignment,
                upload=form.cleaned_data["file"],
                by=request.user,
                use_last_row=form.cleaned_data["use_last_row"],
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            if result.ok:
                _report_success(request, result)
                return redirect("assessment:assignment", slug=slug, pk=assignment.pk)
    status = 400 if form.errors or (result is not None and not result.ok) else 200
    return render(
        request,
        "assessment/import.html",
        page_context(reader, form=form, result=result),
        status=status,
    )


def _report_success(request: HttpRequest, result: imports.ImportResult) -> None:
    row = result.submission.row if result.submission else 0
    saved = len(result.saved)
    messages.success(
        request,
        ngettext(
            "Row %(row)s was imported: %(count)s answer was saved as a new version.",
            "Row %(row)s was imported: %(count)s answers were saved as new versions.",
            saved,
        )
        % {"row": row, "count": saved},
    )
    if result.unchanged:
        messages.info(
            request,
            _("Already the same, so not saved again: %(codes)s.")
            % {"codes": ", ".join(result.unchanged)},
        )
    for note in [*result.skipped, *result.warnings]:
        messages.warning(request, note)


urlpatterns = [
    path("export.<str:fmt>", export, name="export"),
    path("import/", import_answers, name="import_answers"),
]

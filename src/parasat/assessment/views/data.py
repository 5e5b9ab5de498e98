"""Data out and in: every answer a reader may read as XLSX or CSV, and the
co-ordinator's import of answers collected in the field with KoboToolbox or
ODK. Both run in the background as jobs (:mod:`parasat.assessment.jobs`);
these views check access, start the job and send the person to its page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from parasat.assessment import access, exports, imports
from parasat.assessment import jobs as assessment_jobs
from parasat.assessment.models import Assignment
from parasat.assessment.views import page_context
from parasat.core.lib.forms import parse_pk
from parasat.jobs.services import job_start
from parasat.reviews.models import Review
from parasat.reviews.permissions import Perm


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """Every answer the reader may read, one row each, prepared as a job."""
    if fmt not in exports.FORMATS:
        raise Http404
    reader = access.get_reader(request.user, slug, perm=Perm.VIEW_ASSESSMENT)
    if request.method == "POST":
        job = job_start(
            kind=assessment_jobs.EXPORT,
            by=request.user,
            review=reader.review,
            params={"format": fmt},
        )
        return redirect("jobs:detail", pk=job.pk)
    return render(request, "assessment/export.html", page_context(reader, fmt=fmt))


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

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        imports.check_file(upload)  # the rest is read by the job
        upload.seek(0)
        return upload

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
    if request.method == "POST" and form.is_valid():
        job = job_start(
            kind=assessment_jobs.IMPORT,
            by=request.user,
            review=reader.review,
            params={
                "assignment": form.cleaned_data["assignment"].pk,
                "use_last_row": form.cleaned_data["use_last_row"],
            },
            upload=form.cleaned_data["file"],
        )
        return redirect("jobs:detail", pk=job.pk)
    status = 400 if form.errors else 200
    return render(request, "assessment/import.html", page_context(reader, form=form), status=status)


urlpatterns = [
    path("export.<str:fmt>", export, name="export"),
    path("import/", import_answers, name="import_answers"),
]

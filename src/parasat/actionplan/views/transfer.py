"""The plan's measures as a spreadsheet: exported by whoever reads the plan,
imported (all or nothing) by the co-ordinator while the plan is editable."""

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
from django.views.decorators.http import require_GET, require_http_methods

from parasat.actionplan import access, transfer
from parasat.actionplan.views import page_context
from parasat.reviews.permissions import Perm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Spreadsheet (.xlsx or .csv)"))


@login_required
@require_GET
def export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    reader = access.get_reader(request.user, slug)
    plan = access.get_plan(reader)
    if fmt == "csv":
        response = HttpResponse(transfer.export_csv(plan), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(transfer.export_xlsx(plan), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{slug}-measures.{fmt}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_measures(request: HttpRequest, slug: str) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.DRAFT_PLAN)
    plan = access.get_plan(reader)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            if not plan.is_editable:
                raise ValidationError(
                    _("The plan is adopted: start an amendment, with a reason, before changing it.")
                )
            result = transfer.measures_import(
                plan=plan, upload=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            if result.ok:
                messages.success(
                    request,
                    _("%(measures)s measures and %(indicators)s indicators imported.")
                    % {"measures": result.measures, "indicators": result.indicators},
                )
                return redirect(reverse("actionplan:plan", args=[slug]))
    return render(
        request,
        "actionplan/import.html",
        page_context(reader, form=form, result=result, columns=transfer.COLUMNS),
        status=400 if form.errors or (result and not result.ok) else 200,
    )


urlpatterns = [
    path("import/", import_measures, name="import"),
    path("measures.xlsx", export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("measures.csv", export, {"fmt": "csv"}, name="export_csv"),
]

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from parasat.toolkit import selectors, services
from parasat.toolkit.access import can_manage_toolkit, check_toolkit_manager, get_questionnaire
from parasat.toolkit.forms import FileUnderForm, UploadForm
from parasat.toolkit.models import Questionnaire
from parasat.toolkit.xlsform.parsed import XLSFormRefused
from parasat.toolkit.xlsform.writer import write_xlsform

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "toolkit/index.html",
        {"toolkit": selectors.toolkit_overview(), "can_manage": can_manage_toolkit(request.user)},
    )


@login_required
def area(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.area_with_questionnaires(code.upper())
    if found is None:
        raise Http404
    return render(request, "toolkit/area.html", {"area": found})


@login_required
def questionnaire_latest(request: HttpRequest, identifier: str) -> HttpResponse:
    latest = get_questionnaire(identifier)
    return redirect("toolkit:questionnaire", identifier=identifier, version=latest.version)


@login_required
def questionnaire(request: HttpRequest, identifier: str, version: int) -> HttpResponse:
    q = get_questionnaire(identifier, version)
    versions = selectors.versions_of(identifier)
    return render(
        request,
        "toolkit/questionnaire.html",
        {
            "q": q,
            "questions": selectors.questions_of(q),
            "versions": versions,
            "latest": versions[0],
            "can_manage": can_manage_toolkit(request.user),
            "area_form": FileUnderForm(initial={"area": q.area_id}),
        },
    )


@login_required
def download(request: HttpRequest, identifier: str, version: int) -> HttpResponse:
    q = get_questionnaire(identifier, version)
    response = HttpResponse(write_xlsform(q), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{q.identifier}-v{q.version}.xlsx"'
    return response


@login_required
def compare(request: HttpRequest, identifier: str) -> HttpResponse:
    versions = selectors.versions_of(identifier)
    if not versions:
        raise Http404
    numbers = [v.version for v in versions]
    try:
        new = int(request.GET.get("to") or numbers[0])
        old = int(request.GET.get("from") or (numbers[1] if len(numbers) > 1 else numbers[0]))
    except ValueError:
        raise Http404 from None
    by_number = {v.version: v for v in versions}
    if old not in by_number or new not in by_number:
        raise Http404
    return render(
        request,
        "toolkit/compare.html",
        {
            "identifier": identifier,
            "versions": versions,
            "comparison": selectors.compare_versions(by_number[old], by_number[new]),
        },
    )


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    results = selectors.question_search(query) if query else []
    return render(request, "toolkit/search.html", {"query": query, "results": results})


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    check_toolkit_manager(request.user)
    form = UploadForm()
    problems = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                q = services.questionnaire_import(
                    data=upload.read(),
                    filename=upload.name,
                    area=form.cleaned_data["area"],
                    by=request.user,
                )
            except XLSFormRefused as exc:
                problems = exc.problems
            else:
                messages.success(
                    request,
                    _("%(identifier)s was imported as version %(version)s.")
                    % {"identifier": q.identifier, "version": q.version},
                )
                return redirect("toolkit:questionnaire", identifier=q.identifier, version=q.version)
    return render(
        request,
        "toolkit/upload.html",
        {"form": form, "problems": problems},
        status=400 if (form.errors or problems) else 200,
    )


@login_required
@require_POST
def new_version(request: HttpRequest, identifier: str, version: int) -> HttpResponse:
    check_toolkit_manager(request.user)
    q = get_questionnaire(identifier, version)
    copy = services.questionnaire_new_version(questionnaire=q, by=request.user)
    messages.success(
        request, _("Version %(version)s was created from this one.") % {"version": copy.version}
    )
    return redirect("toolkit:questionnaire", identifier=identifier, version=copy.version)


@login_required
@require_POST
def file_under(request: HttpRequest, identifier: str, version: int) -> HttpResponse:
    check_toolkit_manager(request.user)
    q: Questionnaire = get_questionnaire(identifier, version)
    form = FileUnderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a policy area from the list."))
        return redirect("toolkit:questionnaire", identifier=identifier, version=version)
    try:
        services.questionnaire_file_under(questionnaire=q, area=form.cleaned_data["area"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The questionnaire was filed."))
    return redirect("toolkit:questionnaire", identifier=identifier, version=version)

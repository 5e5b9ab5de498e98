"""Finance pages of a review. Thin: check access, call a selector or a
service, render. Coordinators and analysts see; analysts write."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parasat.core.lib.forms import add_errors
from parasat.finance import exports, selectors, services
from parasat.finance import jobs as finance_jobs
from parasat.finance.forms import EntryForm, FundingForm, ImportForm, TerminationForm
from parasat.finance.models import Entry
from parasat.jobs.services import job_start
from parasat.reviews.access import ReviewAccess, get_review_for_user
from parasat.reviews.permissions import Perm


def _context(access: ReviewAccess, **extra: object) -> dict[str, object]:
    return {"access": access, "review": access.review, **extra}


@login_required
@require_GET
def finance_home(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_review_for_user(request.user, slug, perm=Perm.VIEW_FINANCE)
    review = access.review
    budget = selectors.get_budget(review)
    ctx = _context(access, budget=budget)
    if budget is not None:
        ctx.update(
            check=selectors.budget_check(budget, budget.lines_list),
            pos=selectors.position(budget, budget.lines_list),
            period=selectors.project_period(review, budget, today=timezone.localdate()),
            settlement=selectors.settlement(budget, budget.lines_list),
            entries=selectors.ledger(review),
            funding=selectors.funding_events(review),
        )
    return render(request, "finance/finance.html", ctx)


@login_required
@require_GET
def check_fragment(request: HttpRequest, slug: str) -> HttpResponse:
    """The budget check and the state of funding, loaded into the overview by htmx."""
    access = get_review_for_user(request.user, slug, perm=Perm.VIEW_FINANCE)
    budget = selectors.get_budget(access.review)
    ctx = _context(access, budget=budget)
    if budget is not None:
        ctx.update(
            check=selectors.budget_check(budget, budget.lines_list),
            pos=selectors.position(budget, budget.lines_list),
        )
    return render(request, "finance/_check_summary.html", ctx)


def _form_page(request, access, form, *, title, intro="", multipart=False, submit=""):
    return render(
        request,
        "finance/form_page.html",
        _context(access, form=form, title=title, intro=intro, multipart=multipart, submit=submit),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_new(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_review_for_user(request.user, slug, perm=Perm.EDIT_FINANCE)
    budget = selectors.get_budget(access.review)
    if budget is None:
        raise Http404
    form = EntryForm(request.POST or None, request.FILES or None, lines=budget.lines_list)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.entry_record(
                review=access.review,
                kind=data["kind"],
                line_code=data["line"],
                on=data["on"],
                amount=data["amount"],
                payee=data["payee"],
                document=data.get("document"),
                by=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("Entry No. %(number)s was recorded.") % {"number": entry.pk}
            )
            return redirect("finance:home", slug=slug)
    return _form_page(
        request,
        access,
        form,
        title=_("Record an expenditure or a commitment"),
        multipart=True,
        submit=_("Record"),
    )


@login_required
@require_POST
def entry_reverse(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_review_for_user(request.user, slug, perm=Perm.EDIT_FINANCE)
    entry = get_object_or_404(Entry, pk=pk, review=access.review)
    try:
        reversal = services.entry_reverse(entry=entry, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Entry No. %(number)s was reversed by entry No. %(reversal)s.")
            % {"number": entry.pk, "reversal": reversal.pk},
        )
    return redirect("finance:home", slug=slug)


@login_required
@require_GET
def entry_document(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    access = get_review_for_user(request.user, slug, perm=Perm.VIEW_FINANCE)
    entry = get_object_or_404(Entry, pk=pk, review=access.review)
    if not entry.document:
        raise Http404
    try:
        handle = entry.document.open("rb")
    except FileNotFoundError:  # gone from the storage: not a server error
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=entry.document_name or None)


@login_required
@require_http_methods(["GET", "POST"])
def entries_import(request: HttpRequest, slug: str) -> HttpResponse:
    """The sheet is checked at once for its type and size, then read by a job."""
    access = get_review_for_user(request.user, slug, perm=Perm.EDIT_FINANCE)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = job_start(
            kind=finance_jobs.IMPORT,
            by=request.user,
            review=access.review,
            upload=form.cleaned_data["file"],
        )
        return redirect("jobs:detail", pk=job.pk)
    status = 400 if form.errors else 200
    return render(request, "finance/import.html", _context(access, form=form), status=status)


@login_required
@require_GET
def import_template(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_review_for_user(request.user, slug, perm=Perm.EDIT_FINANCE)
    budget = selectors.get_budget(access.review)
    if budget is None:
        raise Http404
    response = HttpResponse(
        exports.import_template_xlsx(budget.lines_list),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="entries-template.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def funding_new(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_review_for_user(request.user, slug, perm=Perm.EDIT_FINANCE)
    form = FundingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.funding_record(review=access.review, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The invoice or payment was recorded."))
            return redirect("finance:home", slug=slug)
    return _form_page(
        request, access, form, title=_("Record an invoice or a payment"), submit=_("Record")
    )


@login_required
@require_http_methods(["GET", "POST"])
def termination(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_review_for_user(request.user, slug, perm=Perm.EDIT_FINANCE)
    form = TerminationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.termination_record(
                review=access.review,
                terminated_on=form.cleaned_data["terminated_on"],
                by=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The termination was recorded."))
            return redirect("finance:home", slug=slug)
    return _form_page(
        request,
        access,
        form,
        title=_("Record an early termination (Art. 2)"),
        intro=_(
            "If the results are not taken into the programme of work and budget, the agreement "
            "may be terminated. The Government then covers only the costs actually incurred and "
            "the commitments made up to the termination date; the rest is refunded. A "
            "termination cannot be undone here."
        ),
        submit=_("Record the termination"),
    )


# --- the final financial report -------------------------------------------


def _report_language(request: HttpRequest) -> str:
    """The reader's language, or the one asked for with ?lang=kk|ru|en."""
    wanted = request.POST.get("lang") or request.GET.get("lang", "")
    if wanted in dict(settings.LANGUAGES):
        return wanted
    return translation.get_language() or settings.LANGUAGE_CODE


def _final_report(request: HttpRequest, slug: str):
    access = get_review_for_user(request.user, slug, perm=Perm.VIEW_FINANCE)
    report = selectors.final_report(access.review, today=timezone.localdate())
    if report is None:
        raise Http404
    return access, report


@login_required
@require_GET
def report_html(request: HttpRequest, slug: str) -> HttpResponse:
    with translation.override(_report_language(request)):
        access, report = _final_report(request, slug)
        return render(request, "finance/report.html", _context(access, r=report))


@login_required
@require_http_methods(["GET", "POST"])
def report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The PDF is laid out by a job (seconds of WeasyPrint's time): GET offers
    to prepare it, POST starts the job in the language chosen, or, when that
    PDF was built since the ledger last changed, sends the one kept."""
    language = _report_language(request)
    with translation.override(language):
        if request.method == "GET":
            # The offer to prepare it needs only to know there is a report:
            # the ledger and the figures are read by the job that lays it out.
            access = get_review_for_user(request.user, slug, perm=Perm.VIEW_FINANCE)
            if not selectors.has_budget(access.review):
                raise Http404
            return render(request, "finance/prepare_pdf.html", _context(access, language=language))
        access, report = _final_report(request, slug)
        kept = exports.kept_report_pdf(report)
        if kept is not None:
            response = HttpResponse(kept, content_type="application/pdf")
            response["Content-Disposition"] = (
                f'attachment; filename="financial-report-{access.review.slug}-{language}.pdf"'
            )
            return response
        job = job_start(
            kind=finance_jobs.REPORT_PDF,
            by=request.user,
            review=access.review,
            params={"language": language},
        )
        return redirect("jobs:detail", pk=job.pk)


@login_required
@require_GET
def report_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    language = _report_language(request)
    with translation.override(language):
        _access, report = _final_report(request, slug)
        data = exports.report_xlsx(report)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="financial-report-{report.review.slug}-{language}.xlsx"'
    )
    return response

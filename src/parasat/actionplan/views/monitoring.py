"""Monitoring the adopted plan: the co-ordinator's dashboard, the contact
person's reports due, a report's form and page (evidence, accept, return),
evidence downloads, and the assessments of a measure."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parasat.actionplan import access, selectors
from parasat.actionplan.forms import AssessmentForm, EvidenceForm, ReasonForm, ReportForm
from parasat.actionplan.models import Indicator, Measure, MeasureAssessment, ProgressReport
from parasat.actionplan.services import monitoring
from parasat.actionplan.views import page_context
from parasat.assessment import evidence
from parasat.core.lib.forms import add_errors
from parasat.core.lib.uploads import check_upload
from parasat.reviews.models import Role
from parasat.reviews.permissions import ANALYTICAL_TEAM, Perm


@login_required
@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Every measure: completion, schedule, reports awaiting a decision and
    overdue; the reports awaiting a decision listed below."""
    reader = access.get_reader(request.user, slug, perm=Perm.DECIDE_PROGRESS)
    plan = access.get_plan(reader)
    rows = selectors.dashboard(plan)
    awaiting = list(
        ProgressReport.objects.filter(
            indicator__measure__plan=plan, status=ProgressReport.Status.SUBMITTED
        )
        .select_related("indicator__measure__responsible")
        .order_by("submitted_at")[:200]
    )
    return render(
        request,
        "actionplan/dashboard.html",
        page_context(
            reader,
            rows=rows,
            awaiting=awaiting,
            overdue_total=sum(r.overdue for r in rows),
            awaiting_total=sum(r.awaiting for r in rows),
        ),
    )


@login_required
@require_GET
def mine(request: HttpRequest, slug: str) -> HttpResponse:
    """The periods the contact person's ministries must report on."""
    reader = access.get_reader(request.user, slug, perm=Perm.REPORT_PROGRESS)
    plan = access.get_plan(reader)
    measures = list(
        Measure.objects.filter(plan=plan, responsible__in=reader.ministries)
        .select_related("responsible")
        .prefetch_related("indicators")
    )
    reports = list(ProgressReport.objects.filter(indicator__measure__in=measures))
    rows = selectors.due_rows(measures, reports, timezone.localdate())
    return render(request, "actionplan/mine.html", page_context(reader, rows=rows))


def _indicator(reader: access.PlanReader, code: str, number: int) -> Indicator:
    measure = access.get_measure(reader, code)
    indicator = Indicator.objects.filter(measure=measure, number=number).first()
    if indicator is None:
        raise Http404
    indicator.measure = measure
    return indicator


@login_required
@require_http_methods(["GET", "POST"])
def report_form(
    request: HttpRequest, slug: str, code: str, number: int, period: str
) -> HttpResponse:
    """The report on one period: value, narrative, who may read it; saved as a
    draft, or submitted (``action=submit``)."""
    reader = access.get_reader(request.user, slug, perm=Perm.REPORT_PROGRESS)
    indicator = _indicator(reader, code, number)
    if not reader.may_report_on(indicator.measure):
        raise Http404
    try:
        period_end = dt.date.fromisoformat(period)
    except ValueError:
        raise Http404 from None
    report = ProgressReport.objects.filter(indicator=indicator, period_end=period_end).first()
    initial = {"unit": indicator.unit}
    if report:
        initial.update(
            value=report.value, narrative=report.narrative, confidentiality=report.confidentiality
        )
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = monitoring.report_save(
                indicator=indicator,
                period_end=period_end,
                by=request.user,
                value=data["value"],
                unit=data["unit"],
                narrative=data["narrative"],
                confidentiality=data["confidentiality"],
            )
            if request.POST.get("action") == "submit":
                monitoring.report_submit(report=report, by=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if request.POST.get("action") == "submit":
                messages.success(request, _("The report is submitted to the co-ordinator."))
            else:
                messages.success(request, _("The report is saved as a draft."))
            return redirect(reverse("actionplan:report", args=[slug, report.pk]))
    return render(
        request,
        "actionplan/report_form.html",
        page_context(
            reader,
            form=form,
            indicator=indicator,
            measure=indicator.measure,
            period_end=period_end,
            report=report,
        ),
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug)
    item = access.get_report(reader, pk)
    measure = item.indicator.measure
    return render(
        request,
        "actionplan/report.html",
        page_context(
            reader,
            report=item,
            measure=measure,
            evidence_items=list(reader.evidence().filter(report=item, withdrawn_at__isnull=True)),
            transitions=list(item.transitions.select_related("by")),
            may_edit=reader.may_report_on(measure) and item.is_editable,
            may_decide=reader.may_decide() and item.status == ProgressReport.Status.SUBMITTED,
            evidence_form=EvidenceForm(),
            reason_form=ReasonForm(),
        ),
    )


@login_required
@require_POST
def report_evidence(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.REPORT_PROGRESS)
    item = access.get_report(reader, pk)
    if not reader.may_report_on(item.indicator.measure):
        raise Http404
    form = EvidenceForm(request.POST, request.FILES)
    to = reverse("actionplan:report", args=[slug, pk])
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(to)
    data = form.cleaned_data
    try:
        if data["file"]:
            monitoring.evidence_add_file(
                report=item,
                by=request.user,
                upload=data["file"],
                title=data["title"],
                confidentiality=data["confidentiality"],
            )
        else:
            monitoring.evidence_add_reference(
                report=item,
                by=request.user,
                kind="link",
                url=data["url"],
                title=data["title"],
                confidentiality=data["confidentiality"],
            )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The evidence is added."))
    return redirect(to)


@login_required
@require_POST
def report_submit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.REPORT_PROGRESS)
    item = access.get_report(reader, pk)
    try:
        monitoring.report_submit(report=item, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The report is submitted to the co-ordinator."))
    return redirect(reverse("actionplan:report", args=[slug, pk]))


@login_required
@require_POST
def report_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Accept a submitted report, or return it with a reason (``action=return``)."""
    reader = access.get_reader(request.user, slug, perm=Perm.DECIDE_PROGRESS)
    item = access.get_report(reader, pk)
    try:
        if request.POST.get("action") == "return":
            monitoring.report_return(
                report=item, by=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The report is returned to the ministry."))
        else:
            monitoring.report_accept(report=item, by=request.user)
            messages.success(request, _("The report is accepted."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(reverse("actionplan:report", args=[slug, pk]))


@login_required
@require_GET
def evidence_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug)
    item = reader.evidence().filter(pk=pk).first()
    if item is None:
        raise Http404
    return evidence.download(item)


def source_for(reader: access.PlanReader) -> str | None:
    """Whose assessment the reader gives: the co-ordinator the government's,
    the analytical team and civil society an independent one."""
    roles = reader.access.roles
    if Role.COORDINATOR in roles or reader.access.is_admin:
        return MeasureAssessment.Source.GOVERNMENT
    if roles & ANALYTICAL_TEAM:
        return MeasureAssessment.Source.TEAM
    if Role.CIVIL_SOCIETY in roles:
        return MeasureAssessment.Source.CIVIL_SOCIETY
    return None


@login_required
@require_http_methods(["GET", "POST"])
def assess(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.ASSESS_MEASURES)
    measure = access.get_measure(reader, code)
    source = source_for(reader)
    if source is None:
        raise Http404
    form = AssessmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["file"]:
                check_upload(data["file"])  # refused before the assessment is written
            made = monitoring.assessment_give(
                measure=measure,
                by=request.user,
                source=source,
                level=data["level"],
                text=data["text"],
                confidentiality=data["confidentiality"],
            )
            if data["file"]:
                monitoring.evidence_add_file(
                    assessment=made,
                    by=request.user,
                    upload=data["file"],
                    confidentiality=data["confidentiality"],
                )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The assessment is recorded."))
            return redirect(reverse("actionplan:measure", args=[slug, code]))
    return render(
        request,
        "actionplan/form.html",
        page_context(
            reader,
            form=form,
            measure=measure,
            multipart=True,
            title=_("Assess measure %(code)s") % {"code": code},
            submit_label=_("Record the assessment"),
        ),
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("monitoring/", dashboard, name="monitoring"),
    path("reports/", mine, name="mine"),
    path("reports/<int:pk>/", report, name="report"),
    path("reports/<int:pk>/evidence/", report_evidence, name="report_evidence"),
    path("reports/<int:pk>/submit/", report_submit, name="report_submit"),
    path("reports/<int:pk>/decide/", report_decide, name="report_decide"),
    path("evidence/<int:pk>/", evidence_download, name="evidence"),
    path("measures/<str:code>/assess/", assess, name="assess"),
    path(
        "measures/<str:code>/indicators/<int:number>/periods/<str:period>/",
        report_form,
        name="report_form",
    ),
]

"""The plan: its page (measures as a tree), the coverage of the
recommendations, a measure with its indicators, the forms that write them,
adoption, amendments and the versions compared. Each form works without
JavaScript; a refusal comes back beside its field, nothing written."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parasat.actionplan import access, selectors, services
from parasat.actionplan.access import PlanReader
from parasat.actionplan.forms import (
    AdoptForm,
    IndicatorForm,
    MeasureForm,
    PlanStartForm,
    PositionForm,
    ReasonForm,
    translated,
)
from parasat.actionplan.models import Indicator, Measure, Plan, PlanVersion
from parasat.actionplan.views import page_context
from parasat.core.lib.forms import add_errors, parse_pk
from parasat.reviews.permissions import Perm


def _plan_url(slug: str) -> str:
    return reverse("actionplan:plan", args=[slug])


def _measure_url(slug: str, code: str) -> str:
    return reverse("actionplan:measure", args=[slug, code])


def _refusal(request: HttpRequest, exc: ValidationError, to: str) -> HttpResponse:
    for message in exc.messages:
        messages.error(request, message)
    return redirect(to)


def _form_page(
    request: HttpRequest, reader: PlanReader, form: Any, *, title: str, submit: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "actionplan/form.html",
        page_context(reader, form=form, title=title, submit_label=submit, **extra),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, slug: str) -> HttpResponse:
    """The plan with its measures; before there is one, the co-ordinator starts it."""
    reader = access.get_reader(request.user, slug)
    if reader.plan is None:
        if not reader.may_draft():
            return render(request, "actionplan/none.html", page_context(reader))
        form = PlanStartForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.plan_start(
                    review=reader.review,
                    by=request.user,
                    title=translated(None, form.cleaned_data["title"]),
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The action plan is started."))
                return redirect(_plan_url(slug))
        return render(
            request,
            "actionplan/none.html",
            page_context(reader, form=form),
            status=400 if form.errors else 200,
        )
    if request.method == "POST":
        raise Http404
    plan_obj = access.get_plan(reader)
    measures = selectors.measure_rows(plan_obj)
    rows = selectors.coverage(plan_obj)
    for m in measures:
        m.schedule = selectors.schedule(m) if plan_obj.is_adopted else None
    return render(
        request,
        "actionplan/plan.html",
        page_context(
            reader,
            nodes=selectors.tree(measures),
            uncovered=[r for r in rows if not r.covered],
            covered_count=sum(1 for r in rows if r.covered),
            total=len(rows),
            problems=(
                services.adoption_problems(plan_obj, measures=measures, rows=rows)
                if reader.may_edit()
                else []
            ),
            adopt_form=AdoptForm(),
            amend_form=ReasonForm(),
        ),
    )


@login_required
@require_GET
def coverage(request: HttpRequest, slug: str) -> HttpResponse:
    """Every agreed recommendation: the measures answering it, or the
    government's position with its reason; the uncovered first."""
    reader = access.get_reader(request.user, slug)
    plan_obj = access.get_plan(reader)
    final = selectors.final_report(reader.review)
    rows = selectors.coverage(plan_obj, final)
    rows.sort(key=lambda r: r.covered)
    return render(request, "actionplan/coverage.html", page_context(reader, rows=rows, final=final))


@login_required
@require_GET
def measure(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    reader = access.get_reader(request.user, slug)
    item = access.get_measure(reader, code)
    indicators = list(Indicator.objects.filter(measure=item).order_by("number"))
    children = sorted(
        Measure.objects.filter(parent=item).select_related("responsible"), key=selectors.code_key
    )
    item.schedule = selectors.schedule(item) if item.plan.is_adopted else None
    monitoring = _monitoring(reader, item)
    for i in indicators:
        i.range_label = services.range_text(*services.implied_range(i.unit, i.minimum, i.maximum))
    return render(
        request,
        "actionplan/measure.html",
        page_context(
            reader,
            measure=item,
            indicators=indicators,
            children=children,
            reason_form=ReasonForm(),
            **monitoring,
        ),
    )


def _monitoring(reader: PlanReader, item: Measure) -> dict[str, Any]:
    """The measure's reports and current assessments the reader may read."""
    if not item.plan.is_adopted:
        return {}
    current = list(
        reader.assessments().filter(measure=item, superseded_at__isnull=True).order_by("given_at")
    )
    shown = {}
    for e in reader.evidence().filter(assessment__in=current, withdrawn_at__isnull=True):
        shown.setdefault(e.assessment_id, []).append(e)
    for a in current:
        a.shown_evidence = shown.get(a.pk, [])
    government = [a for a in current if a.source == "government"]
    return {
        "government": government[-1] if government else None,
        "independent": [a for a in current if a.source != "government"],
        "reports": list(
            reader.reports()
            .filter(indicator__measure=item)
            .select_related("indicator")
            .order_by("-period_end", "indicator__number")
        ),
        "may_assess": reader.may_assess() and not item.withdrawn_at,
        "may_report": reader.may_report_on(item),
    }


def _editor(request: HttpRequest, slug: str) -> tuple[PlanReader, Plan]:
    reader = access.get_reader(request.user, slug, perm=Perm.DRAFT_PLAN)
    return reader, access.get_plan(reader)


@login_required
@require_http_methods(["GET", "POST"])
def measure_form(
    request: HttpRequest, slug: str, code: str | None = None, parent_code: str | None = None
) -> HttpResponse:
    """A new measure (``?recommendation=<pk>`` ticks one), a part of one, or a change."""
    reader, plan_obj = _editor(request, slug)
    item = access.get_measure(reader, code) if code else None
    parent = access.get_measure(reader, parent_code) if parent_code else None
    if not plan_obj.is_editable:
        return _refusal(
            request,
            ValidationError(
                _("The plan is adopted: start an amendment, with a reason, before changing it.")
            ),
            _plan_url(slug),
        )
    initial = None
    wanted = parse_pk(request.GET.get("recommendation"))
    if item is None and wanted:
        initial = {"recommendations": [str(wanted)], "budget_currency": "KZT", "weight": 1}
    form = MeasureForm(
        request.POST or None,
        measure=item,
        recommendations=selectors.agreed_recommendations(reader.review)
        .select_related("assessment__area")
        .order_by("assessment__area__order", "number"),
        agencies=services.agencies(),
        is_part=bool(parent or (item and item.parent_id)),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.measure_save(
                plan=plan_obj,
                by=request.user,
                title=translated(item.title if item else None, data["title"]),
                deliverables=translated(item.deliverables if item else None, data["deliverables"]),
                recommendation_ids=data["recommendations"],
                responsible_id=data["responsible"],
                partner_ids=data["partners"],
                start_on=data["start_on"],
                due_on=data["due_on"],
                budget=data["budget"],
                budget_currency=data["budget_currency"],
                budget_source=data["budget_source"],
                weight=data.get("weight") or (item.weight if item else 1),
                parent=parent,
                measure=item,
                base_revision=data["revision"] if item else None,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Measure %(code)s is saved.") % {"code": saved.code})
            return redirect(_measure_url(slug, saved.code))
    if item:
        title = _("Measure %(code)s") % {"code": item.code}
    elif parent:
        title = _("New part of measure %(code)s") % {"code": parent.code}
    else:
        title = _("New measure")
    return _form_page(request, reader, form, title=title, submit=_("Save the measure"))


@login_required
@require_POST
def measure_withdraw(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    reader, _plan = _editor(request, slug)
    item = access.get_measure(reader, code)
    try:
        services.measure_withdraw(
            measure=item, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        return _refusal(request, exc, _measure_url(slug, code))
    messages.success(request, _("Measure %(code)s is withdrawn.") % {"code": code})
    return redirect(_measure_url(slug, code))


@login_required
@require_POST
def measure_freeze(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    reader, _plan = _editor(request, slug)
    item = access.get_measure(reader, code)
    try:
        if item.is_frozen:
            services.measure_release(measure=item, by=request.user)
        else:
            services.measure_freeze(
                measure=item, by=request.user, reason=request.POST.get("reason", "")
            )
    except ValidationError as exc:
        return _refusal(request, exc, _measure_url(slug, code))
    return redirect(_measure_url(slug, code))


@login_required
@require_http_methods(["GET", "POST"])
def indicator_form(
    request: HttpRequest, slug: str, code: str, number: int | None = None
) -> HttpResponse:
    reader, plan_obj = _editor(request, slug)
    item = access.get_measure(reader, code)
    indicator = None
    if number is not None:
        indicator = Indicator.objects.filter(measure=item, number=number).first()
        if indicator is None:
            raise Http404
    if not plan_obj.is_editable:
        return _refusal(
            request,
            ValidationError(
                _("The plan is adopted: start an amendment, with a reason, before changing it.")
            ),
            _measure_url(slug, code),
        )
    form = IndicatorForm(request.POST or None, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.indicator_save(
                measure=item,
                by=request.user,
                name=translated(indicator.name if indicator else None, data["name"]),
                unit=data["unit"],
                baseline=data["baseline"],
                target=data["target"],
                minimum=data["minimum"],
                maximum=data["maximum"],
                frequency=data["frequency"],
                indicator=indicator,
                base_revision=data["revision"] if indicator else None,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The indicator is saved."))
            return redirect(_measure_url(slug, code))
    title = _("Indicator of measure %(code)s") % {"code": item.code}
    return _form_page(
        request, reader, form, title=title, submit=_("Save the indicator"), measure=item
    )


@login_required
@require_http_methods(["GET", "POST"])
def position_form(request: HttpRequest, slug: str, rec_code: str) -> HttpResponse:
    reader, plan_obj = _editor(request, slug)
    recommendation = selectors.agreed_recommendations(reader.review).filter(code=rec_code).first()
    if recommendation is None:
        raise Http404
    current = plan_obj.positions.filter(recommendation=recommendation).first()
    form = PositionForm(
        request.POST or None,
        initial={"kind": current.kind, "reason": current.reason} if current else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.position_save(
                plan=plan_obj,
                by=request.user,
                recommendation=recommendation,
                kind=form.cleaned_data["kind"],
                reason=translated(current.reason if current else None, form.cleaned_data["reason"]),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The position on %(code)s is saved.") % {"code": rec_code})
            return redirect(reverse("actionplan:coverage", args=[slug]))
    return _form_page(
        request,
        reader,
        form,
        title=_("Position on recommendation %(code)s") % {"code": rec_code},
        submit=_("Save the position"),
        recommendation=recommendation,
    )


@login_required
@require_POST
def adopt(request: HttpRequest, slug: str) -> HttpResponse:
    reader, plan_obj = _editor(request, slug)
    form = AdoptForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        services.plan_adopt(
            plan=plan_obj,
            by=request.user,
            act_number=data.get("act_number", ""),
            act_date=data.get("act_date"),
        )
    except ValidationError as exc:
        return _refusal(request, exc, _plan_url(slug))
    messages.success(request, _("The plan is adopted."))
    return redirect(_plan_url(slug))


@login_required
@require_POST
def amend(request: HttpRequest, slug: str) -> HttpResponse:
    reader, plan_obj = _editor(request, slug)
    try:
        services.plan_amend(plan=plan_obj, by=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        return _refusal(request, exc, _plan_url(slug))
    messages.success(request, _("The plan is open for an amendment."))
    return redirect(_plan_url(slug))


@login_required
@require_GET
def versions(request: HttpRequest, slug: str) -> HttpResponse:
    """Every adopted version, and two compared (``?a=1&b=2``; by default the
    last adopted against the plan as it now stands)."""
    reader = access.get_reader(request.user, slug)
    plan_obj = access.get_plan(reader)
    rows = list(PlanVersion.objects.filter(plan=plan_obj).order_by("number"))
    by_number = {v.number: v for v in rows}

    def pick(name: str) -> PlanVersion | None:
        number = parse_pk(request.GET.get(name))
        return by_number.get(number) if number else None

    left = pick("a") or (rows[-1] if rows else None)
    right = pick("b")
    changes = []
    if left is not None:
        current = right.content if right else selectors.snapshot(plan_obj)
        changes = selectors.compare(left.content, current)
    return render(
        request,
        "actionplan/versions.html",
        page_context(reader, versions=rows, left=left, right=right, changes=changes),
    )


urlpatterns = [
    path("", plan, name="plan"),
    path("coverage/", coverage, name="coverage"),
    path("versions/", versions, name="versions"),
    path("adopt/", adopt, name="adopt"),
    path("amend/", amend, name="amend"),
    path("positions/<str:rec_code>/", position_form, name="position"),
    path("measures/new/", measure_form, name="measure_new"),
    path("measures/<str:code>/", measure, name="measure"),
    path("measures/<str:code>/edit/", measure_form, name="measure_edit"),
    path("measures/<str:parent_code>/parts/new/", measure_form, name="measure_part_new"),
    path("measures/<str:code>/withdraw/", measure_withdraw, name="measure_withdraw"),
    path("measures/<str:code>/freeze/", measure_freeze, name="measure_freeze"),
    path("measures/<str:code>/indicators/new/", indicator_form, name="indicator_new"),
    path("measures/<str:code>/indicators/<int:number>/", indicator_form, name="indicator_edit"),
]

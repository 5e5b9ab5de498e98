"""Writing an area assessment: the context, findings, ratings and
recommendations (the analytical team's drafters), and the government's own
rating (the co-ordinator). Each form is a page of its own that works without
JavaScript; a refusal comes back beside the field it is about, nothing written."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from parasat.accounts.models import Organisation
from parasat.analysis import access, selectors, services
from parasat.analysis.access import AnalysisReader
from parasat.analysis.forms import (
    AssessmentForm,
    FindingForm,
    GovernmentRatingForm,
    RatingForm,
    RecommendationForm,
    answer_choices,
    evidence_choices,
    provision_choices,
    translated,
)
from parasat.analysis.models import (
    AreaAssessment,
    Finding,
    GovernmentRating,
    Rating,
    RatingScale,
    Recommendation,
)
from parasat.analysis.views import page_context
from parasat.core.lib.forms import add_errors
from parasat.reviews.permissions import Perm
from parasat.toolkit.models import PolicyArea


def _writer(
    request: HttpRequest, slug: str, code: str, perm: Perm = Perm.DRAFT_ANALYSIS
) -> tuple[AnalysisReader, PolicyArea, AreaAssessment | None]:
    reader = access.get_reader(request.user, slug, perm=perm)
    area = access.get_area(code)
    return reader, area, access.get_assessment(reader, area)


def _started(reader: AnalysisReader, area: PolicyArea, assessment: AreaAssessment | None):
    return assessment or services.assessment_start(review=reader.review, area=area)


def _refuse_unless_editable(assessment: AreaAssessment | None) -> None:
    """An agreed assessment, or one under review, is not edited; the form page
    says so rather than showing a form that would be refused."""
    if assessment is not None and not assessment.is_editable:
        raise ValidationError(
            _("This assessment is agreed: reopen it, with a reason, before changing it.")
            if assessment.state == AreaAssessment.State.AGREED
            else _(
                "This assessment is under team review: it can be changed once the "
                "reviewer returns it to draft."
            )
        )


def _area_url(slug: str, code: str, anchor: str = "") -> str:
    return reverse("analysis:area", args=[slug, code]) + (f"#{anchor}" if anchor else "")


def _form_page(
    request: HttpRequest,
    reader: AnalysisReader,
    area: PolicyArea,
    assessment: AreaAssessment | None,
    form: Any,
    *,
    title: str,
    submit: str,
    **extra: Any,
) -> HttpResponse:
    return render(
        request,
        "analysis/form.html",
        page_context(
            reader,
            area=area,
            assessment=assessment,
            form=form,
            title=title,
            submit_label=submit,
            **extra,
        ),
        status=400 if form.errors else 200,
    )


def _closed(request: HttpRequest, slug: str, code: str, exc: ValidationError) -> HttpResponse:
    for message in exc.messages:
        messages.error(request, message)
    return redirect(_area_url(slug, code))


def _links(reader: AnalysisReader, area: PolicyArea, form: Any, extra_keys: list[str] = ()) -> None:
    """Offer the area's answers and evidence the writer may read, and the
    provisions its questions test (with those already linked)."""
    tested = [row.provision for row in selectors.coverage(reader, area, None)]
    known = {p.key for p in tested}
    form.set_links(
        answer_choices(selectors.area_answers(reader, area)),
        evidence_choices(selectors.area_evidence(reader, area)),
        provision_choices(tested) + [(k, k) for k in extra_keys if k not in known],
    )


# --- the context ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assessment_edit(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    reader, area, assessment = _writer(request, slug, code)
    try:
        _refuse_unless_editable(assessment)
    except ValidationError as exc:
        return _closed(request, slug, code, exc)
    form = AssessmentForm(request.POST or None, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        started = _started(reader, area, assessment)
        try:
            services.assessment_edit(
                assessment=started,
                by=request.user,
                context=translated(started.context, form.cleaned_data["context"]),
                confidentiality=form.cleaned_data["confidentiality"],
                base_revision=form.cleaned_data["revision"] if assessment else None,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The context is saved."))
            return redirect(_area_url(slug, code, "context"))
    return _form_page(
        request,
        reader,
        area,
        assessment,
        form,
        title=_("Context and readers"),
        submit=_("Save"),
    )


# --- findings ----------------------------------------------------------------------


def _finding(assessment: AreaAssessment | None, number: int) -> Finding:
    finding = (
        Finding.objects.filter(assessment=assessment, number=number, withdrawn_at__isnull=True)
        .prefetch_related("answers", "evidence", "provisions")
        .first()
        if assessment
        else None
    )
    if finding is None:
        raise Http404
    return finding


@login_required
@require_http_methods(["GET", "POST"])
def finding_form(
    request: HttpRequest, slug: str, code: str, number: int | None = None
) -> HttpResponse:
    reader, area, assessment = _writer(request, slug, code)
    finding = _finding(assessment, number) if number is not None else None
    try:
        _refuse_unless_editable(assessment)
    except ValidationError as exc:
        return _closed(request, slug, code, exc)
    form = FindingForm(request.POST or None, finding=finding)
    linked = [p.key for p in finding.provisions.all()] if finding else []
    _links(reader, area, form, linked)
    if request.method == "POST" and form.is_valid():
        started = _started(reader, area, assessment)
        data = form.cleaned_data
        try:
            saved = services.finding_save(
                assessment=started,
                by=request.user,
                sources=reader.sources,
                kind=data["kind"],
                text=translated(finding.text if finding else None, data["text"]),
                answer_ids=data["answers"],
                evidence_ids=data["evidence"],
                provision_keys=form.provision_keys(),
                finding=finding,
                base_revision=data["revision"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Finding %(code)s is saved.") % {"code": saved.code})
            return redirect(_area_url(slug, code, f"finding-{saved.number}"))
    return _form_page(
        request,
        reader,
        area,
        assessment,
        form,
        title=_("Finding %(code)s") % {"code": finding.code} if finding else _("New finding"),
        submit=_("Save the finding"),
    )


@login_required
@require_POST
def finding_withdraw(request: HttpRequest, slug: str, code: str, number: int) -> HttpResponse:
    reader, area, assessment = _writer(request, slug, code)
    finding = _finding(assessment, number)
    try:
        services.finding_withdraw(assessment=assessment, finding=finding, by=request.user)
    except ValidationError as exc:
        return _closed(request, slug, code, exc)
    messages.success(
        request,
        _("Finding %(code)s is withdrawn; it stays in the history.") % {"code": finding.code},
    )
    return redirect(_area_url(slug, code, "findings"))


# --- ratings ---------------------------------------------------------------------------


def _scale(reader: AnalysisReader, scale_code: str) -> RatingScale:
    for scale in selectors.review_scales(reader.review_id):
        if scale.code == scale_code:
            return scale
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def rating_form(request: HttpRequest, slug: str, code: str, scale_code: str) -> HttpResponse:
    reader, area, assessment = _writer(request, slug, code)
    scale = _scale(reader, scale_code)
    try:
        _refuse_unless_editable(assessment)
    except ValidationError as exc:
        return _closed(request, slug, code, exc)
    current = (
        Rating.objects.filter(assessment=assessment, scale=scale)
        .prefetch_related("sources__provision")
        .first()
        if assessment
        else None
    )
    initial: dict[str, Any] = {"revision": current.revision if current else 0}
    linked: list[str] = []
    if current is not None:
        sources = list(current.sources.all())
        external = next((s for s in sources if s.kind == "external"), None)
        linked = [s.provision.key for s in sources if s.provision_id]
        initial |= {
            "level": current.level_id,
            "score": current.score,
            "justification": current.justification,
            "answers": [str(s.answer_id) for s in sources if s.answer_id],
            "evidence": [str(s.evidence_id) for s in sources if s.evidence_id],
            "provisions": linked,
            "external_title": external.title if external else "",
            "external_url": external.url if external else "",
            "external_consulted_on": external.consulted_on if external else None,
        }
    form = RatingForm(request.POST or None, initial=initial)
    form.set_scale(scale)
    _links(reader, area, form, linked)
    if request.method == "POST" and form.is_valid():
        started = _started(reader, area, assessment)
        data = form.cleaned_data
        try:
            services.rating_save(
                assessment=started,
                by=request.user,
                sources=reader.sources,
                scale=scale,
                level=data.get("level"),
                score=data.get("score"),
                justification=translated(
                    current.justification if current else None, data["justification"]
                ),
                answer_ids=data["answers"],
                evidence_ids=data["evidence"],
                provision_keys=form.provision_keys(),
                external=services.ExternalSource(
                    title=data["external_title"],
                    url=data["external_url"],
                    consulted_on=data["external_consulted_on"],
                ),
                base_revision=data["revision"] if current else None,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The rating on %(scale)s is saved.") % {"scale": scale})
            return redirect(_area_url(slug, code, "ratings"))
    return _form_page(
        request,
        reader,
        area,
        assessment,
        form,
        title=_("Rating on %(scale)s") % {"scale": scale},
        submit=_("Save the rating"),
        scale=scale,
        sources_note=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def government_rating_form(
    request: HttpRequest, slug: str, code: str, scale_code: str
) -> HttpResponse:
    reader, area, assessment = _writer(request, slug, code, Perm.RATE_FOR_GOVERNMENT)
    scale = _scale(reader, scale_code)
    current = (
        GovernmentRating.objects.filter(
            assessment=assessment, scale=scale, superseded_at__isnull=True
        ).first()
        if assessment
        else None
    )
    initial = (
        {"level": current.level_id, "score": current.score, "justification": current.justification}
        if current
        else {}
    )
    form = GovernmentRatingForm(request.POST or None, initial=initial)
    form.set_scale(scale)
    if request.method == "POST" and form.is_valid():
        started = _started(reader, area, assessment)
        data = form.cleaned_data
        try:
            services.government_rating_give(
                assessment=started,
                by=request.user,
                scale=scale,
                level=data.get("level"),
                score=data.get("score"),
                justification=translated(
                    current.justification if current else None, data["justification"]
                ),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The government's rating is saved."))
            return redirect(_area_url(slug, code, "ratings"))
    return _form_page(
        request,
        reader,
        area,
        assessment,
        form,
        title=_("The government's rating on %(scale)s") % {"scale": scale},
        submit=_("Save the government's rating"),
        scale=scale,
    )


# --- recommendations ----------------------------------------------------------------------


def _agencies() -> list[Organisation]:
    kinds = [Organisation.Kind.GOVERNMENT, Organisation.Kind.MINISTRY]
    return list(Organisation.objects.filter(kind__in=kinds).order_by("code"))


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_form(
    request: HttpRequest, slug: str, code: str, number: int | None = None
) -> HttpResponse:
    reader, area, assessment = _writer(request, slug, code)
    recommendation = None
    if number is not None:
        recommendation = (
            Recommendation.objects.filter(assessment=assessment, number=number)
            .prefetch_related("agencies", "findings")
            .first()
            if assessment
            else None
        )
        if recommendation is None:
            raise Http404
    try:
        _refuse_unless_editable(assessment)
    except ValidationError as exc:
        return _closed(request, slug, code, exc)
    findings = (
        list(Finding.objects.filter(assessment=assessment, withdrawn_at__isnull=True))
        if assessment
        else []
    )
    form = RecommendationForm(
        request.POST or None,
        recommendation=recommendation,
        agencies=_agencies(),
        findings=findings,
    )
    if request.method == "POST" and form.is_valid():
        started = _started(reader, area, assessment)
        data = form.cleaned_data
        try:
            saved = services.recommendation_save(
                assessment=started,
                by=request.user,
                text=translated(recommendation.text if recommendation else None, data["text"]),
                priority=data["priority"],
                state=data["state"],
                agency_ids=data["agencies"],
                finding_ids=data["findings"],
                number=data.get("number"),
                recommendation=recommendation,
                base_revision=data["revision"] if recommendation else None,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Recommendation %(code)s is saved.") % {"code": saved.code})
            return redirect(_area_url(slug, code, f"rec-{saved.number}"))
    return _form_page(
        request,
        reader,
        area,
        assessment,
        form,
        title=_("Recommendation %(code)s") % {"code": recommendation.code}
        if recommendation
        else _("New recommendation"),
        submit=_("Save the recommendation"),
    )


urlpatterns = [
    path("<str:code>/edit/", assessment_edit, name="edit"),
    path("<str:code>/findings/new/", finding_form, name="finding_new"),
    path("<str:code>/findings/<int:number>/", finding_form, name="finding_edit"),
    path("<str:code>/findings/<int:number>/withdraw/", finding_withdraw, name="finding_withdraw"),
    path("<str:code>/ratings/<slug:scale_code>/", rating_form, name="rating"),
    path(
        "<str:code>/government/<slug:scale_code>/",
        government_rating_form,
        name="government_rating",
    ),
    path("<str:code>/recommendations/new/", recommendation_form, name="recommendation_new"),
    path(
        "<str:code>/recommendations/<int:number>/",
        recommendation_form,
        name="recommendation_edit",
    ),
]

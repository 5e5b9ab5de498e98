"""Reading the analysis: the overview, an area, its coverage and history, and
the review-wide list of recommendations with its exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from parasat.analysis import access, charts, exports, selectors, snapshots
from parasat.analysis.caching import analysis_version
from parasat.analysis.forms import RecommendationFilterForm
from parasat.analysis.models import AreaAssessment
from parasat.analysis.views import note_text, page_context
from parasat.core.lib.pagecache import cached_page, reader_key
from parasat.core.lib.urls import url_for_pks
from parasat.reviews.caching import reviews_version
from parasat.toolkit.models import PolicyArea


@login_required
@require_GET
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    """The 15 areas: the team's and the government's ratings as a chart and a
    table, how far each assessment has come, open recommendations per priority."""
    reader = access.get_reader(request.user, slug)

    def render_page() -> HttpResponse:
        data = selectors.overview(reader)
        return render(
            request,
            "analysis/overview.html",
            page_context(
                reader,
                overview=data,
                # Drawn by vl-convert from our own specification: no script, no style attribute.
                chart=mark_safe(charts.ratings_svg(data)),  # noqa: S308
            ),
        )

    return cached_page(request, _page_key(request, reader, "overview"), render_page)


def _page_key(request: HttpRequest, reader: access.AnalysisReader, *parts: str) -> str:
    """A page changes only with the analysis (its token), the reviews' data
    (roles, stages), the language, the reader and what they may do."""
    return ":".join(
        [
            "analysis",
            *parts,
            reviews_version(),
            analysis_version(reader.review_id),
            get_language() or "",
            reader_key(request),
            "".join("1" if allowed else "0" for allowed in reader.access.perms.values()),
            request.get_full_path(),
        ]
    )


@login_required
@require_GET
def area(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """One area's assessment as the reader may see it."""
    reader = access.get_reader(request.user, slug)
    found = access.readable_codes(reader).get(code)
    assessment = None
    if found is None:  # not started (the team may start it), or not the reader's: 404
        assessment = access.get_assessment(reader, access.get_area(code))

    def render_page() -> HttpResponse:
        nonlocal assessment
        if found is not None:
            # Who agreed it: the page names them (an agreed assessment is what most read).
            assessment = AreaAssessment.objects.select_related("area", "agreed_by").get(pk=found)
        policy_area = assessment.area if assessment else access.get_area(code)
        page = selectors.area_page(reader, policy_area, assessment)
        _link_urls(page, slug)
        return render(
            request,
            "analysis/area.html",
            page_context(
                reader,
                page=page,
                area=policy_area,
                assessment=assessment,
                may_edit=reader.may_edit(assessment),
                may_send=reader.may_send(assessment),
                may_agree=reader.may_agree(assessment),
                may_return=reader.may_return(assessment),
                may_reopen=reader.may_reopen(assessment),
                may_comment=reader.may_comment() and assessment is not None,
                may_rate_for_government=reader.may_rate_for_government(),
                problems=_problems(reader, assessment),
            ),
        )

    # What the page shows of the self-assessment (the area's answers, which
    # sources a reader may follow) changes with the answers too.
    key = _page_key(request, reader, "area", code, selectors.answers_token(reader.review_id))
    return cached_page(request, key, render_page)


def _link_urls(page: selectors.AreaPage, slug: str) -> None:
    """Give each answer and evidence item shown its address, reversed once per kind."""
    answer_url = url_for_pks("assessment:answer", slug)
    evidence_url = url_for_pks("assessment:evidence_download", slug)
    for answer in page.answers:
        answer.url = answer_url(answer.pk)
    holders = [*page.findings, *(pair.team for pair in page.pairs if pair.team)]
    for holder in holders:
        for answer in holder.links.answers:
            answer.url = answer_url(answer.pk)
        for item in holder.links.evidence:
            item.url = evidence_url(item.pk)


def _problems(reader: access.AnalysisReader, assessment: AreaAssessment | None) -> list[str]:
    """What the assessment lacks, shown to whoever may send or agree it."""
    from_state = reader.may_send(assessment) or reader.may_agree(assessment)
    return selectors.problems(assessment) if from_state and assessment else []


@login_required
@require_GET
def coverage(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Which provisions the area's questions tested, which the findings address."""
    reader = access.get_reader(request.user, slug)
    policy_area = access.get_area(code)
    assessment = access.get_assessment(reader, policy_area)
    rows = selectors.coverage(reader, policy_area, assessment)
    return render(
        request,
        "analysis/coverage.html",
        page_context(
            reader,
            area=policy_area,
            assessment=assessment,
            rows=rows,
            untested=[r for r in rows if not r.tested],
            unaddressed=[r for r in rows if r.tested and not r.addressed],
        ),
    )


@login_required
@require_GET
def history(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Every version with who and when, every change of state, and two versions
    compared (``?a=1&b=3``; by default the last two). The team and the
    co-ordinator only: the versions hold the drafts."""
    reader = access.get_reader(request.user, slug)
    policy_area = access.get_area(code)
    assessment = access.get_assessment(reader, policy_area)
    if assessment is None or not reader.sees_drafts:
        raise Http404
    versions = selectors.versions(assessment)
    for v in versions:
        v.note_text = note_text(v.note)
    by_number = {v.number: v for v in versions}

    def pick(name: str, default: int | None) -> int | None:
        raw = request.GET.get(name, "")
        number = int(raw) if raw.isascii() and raw.isdecimal() and len(raw) < 10 else None
        return number if number in by_number else default

    b = pick("b", versions[-1].number if versions else None)
    a = pick("a", versions[-2].number if len(versions) > 1 else b)
    compare = None
    if a is not None and b is not None:
        compare = {
            "left": by_number[a],
            "right": by_number[b],
            **snapshots.compare(by_number[a].content, by_number[b].content),
        }
    return render(
        request,
        "analysis/history.html",
        page_context(
            reader,
            area=policy_area,
            assessment=assessment,
            versions=versions,
            compare=compare,
            transitions=selectors.transitions(assessment),
        ),
    )


@login_required
@require_GET
def recommendations(request: HttpRequest, slug: str) -> HttpResponse:
    """Every recommendation the reader may read, filtered by area, priority,
    agency and state; ``?format=xlsx`` or ``csv`` downloads the same list."""
    reader = access.get_reader(request.user, slug)
    areas = [(a.code, f"{a.code} · {a.name}") for a in PolicyArea.objects.order_by("order")]
    agencies = [(o.code, str(o)) for o in selectors.agencies_addressed(reader)]
    form = RecommendationFilterForm(request.GET or None, areas=areas, agencies=agencies)
    items = selectors.recommendations(reader, **form.filters())
    fmt = request.GET.get("format", "")
    if fmt:
        if fmt not in exports.FORMATS:
            raise Http404
        response = HttpResponse(
            exports.export_recommendations(items, fmt), content_type=exports.FORMATS[fmt]
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{exports.filename(reader.review, fmt)}"'
        )
        response["Cache-Control"] = "private, no-store"
        return response
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "analysis/recommendations.html",
        page_context(
            reader,
            form=form,
            items=list(items),
            query=query.urlencode(),
            filtered=any(form.filters().values()),
        ),
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("", overview, name="overview"),
    path("recommendations/", recommendations, name="recommendations"),
    path("<str:code>/", area, name="area"),
    path("<str:code>/coverage/", coverage, name="coverage"),
    path("<str:code>/history/", history, name="history"),
]

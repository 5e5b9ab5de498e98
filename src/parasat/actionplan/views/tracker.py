"""The public tracker (signed out, phone first): the adopted plan by area or
by agency, each measure's state, completion, history and progress over time,
what is overdue, and the open data. Pages are cached per language and day
under the plan's token, which every accepted report changes."""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from parasat.actionplan import access, charts, opendata, tracker
from parasat.actionplan.caching import plan_version
from parasat.actionplan.feeds import PlanFeed
from parasat.actionplan.models import Measure, PlanVersion
from parasat.assessment import evidence
from parasat.core.lib.pagecache import cached_page, reader_key
from parasat.reviews.caching import reviews_version
from parasat.reviews.models import Review

# (slug, the reviews' token) → the public review's id: a cached page is then
# served without a query. Any change to a review makes a new token.
_REVIEW_IDS: dict[tuple[str, str], int] = {}


def _public_review_id(slug: str, version: str) -> int:
    found = _REVIEW_IDS.get((slug, version))
    if found is None:
        found = (
            Review.objects.filter(slug=slug, is_public=True).values_list("pk", flat=True).first()
        )
        if found is None:
            raise Http404
        if len(_REVIEW_IDS) > 1000:
            _REVIEW_IDS.clear()
        _REVIEW_IDS[(slug, version)] = found
    return found


def _key(request: HttpRequest, slug: str, *parts: str) -> str:
    """The page's cache key: the reviews' and the plan's tokens, the day, the
    language and the address. The plan itself is read only to render a page
    (a cached one was made while the plan was adopted and the review public,
    and either changing makes a new token)."""
    version = reviews_version()
    return ":".join(
        [
            "tracker",
            *parts,
            version,
            plan_version(_public_review_id(slug, version)),
            timezone.localdate().isoformat(),  # the schedule changes with the day
            get_language() or "",
            reader_key(request),
            request.get_full_path(),
        ]
    )


@require_GET
def plan(request: HttpRequest, slug: str) -> HttpResponse:
    by = "agency" if request.GET.get("by") == "agency" else "area"
    wanted = request.GET.get("group", "")[:60]

    def render_page() -> HttpResponse:
        review, plan_obj = access.public_plan(slug)
        rows = tracker.measures(plan_obj, timezone.localdate())
        groups = tracker.grouped(rows, by)
        page = None
        if wanted:
            group = next((g for g in groups if g.key == wanted), None)
            if group is None:
                raise Http404
            page = Paginator(group.measures, tracker.PAGE_SIZE).get_page(request.GET.get("page"))
            group.measures = list(page.object_list)
            groups = [group]
        else:
            groups = tracker.preview(groups)
        return render(
            request,
            "actionplan/tracker/plan.html",
            {
                "review": review,
                "plan": plan_obj,
                "by": by,
                "groups": groups,
                "group_page": page,
                "summary": tracker.summary(rows),
                "overdue_count": len(tracker.overdue(rows)),
            },
        )

    return cached_page(request, _key(request, slug, "plan"), render_page, memo=True)


@require_GET
def overdue(request: HttpRequest, slug: str) -> HttpResponse:
    def render_page() -> HttpResponse:
        review, plan_obj = access.public_plan(slug)
        rows = tracker.overdue(tracker.measures(plan_obj, timezone.localdate()))
        return render(
            request,
            "actionplan/tracker/overdue.html",
            {"review": review, "plan": plan_obj, "rows": rows},
        )

    return cached_page(request, _key(request, slug, "overdue"), render_page, memo=True)


@require_GET
def measure(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    def render_page() -> HttpResponse:
        review, plan_obj = access.public_plan(slug)
        item = (
            Measure.objects.filter(plan=plan_obj, code=code)
            .select_related("responsible", "area", "parent", "plan")
            .first()
        )
        if item is None:
            raise Http404
        item.schedule = tracker.selectors.schedule(item, timezone.localdate())
        history = tracker.measure_history(item)
        assessments = list(tracker.public_assessments(review.pk).filter(measure=item))
        tracker.attach_evidence(
            review.pk, item, [r for row in history for r in row.reports], assessments
        )
        return render(
            request,
            "actionplan/tracker/measure.html",
            {
                "review": review,
                "plan": plan_obj,
                "measure": item,
                "history": history,
                "parts": sorted(
                    Measure.objects.filter(parent=item).select_related("responsible"),
                    key=tracker.selectors.code_key,
                ),
                "government": next((a for a in assessments if a.source == "government"), None),
                "independent": [a for a in assessments if a.source != "government"],
                "versions": list(PlanVersion.objects.filter(plan=plan_obj).order_by("-number")),
                # Drawn by vl-convert from our own specification: no script, no style attribute.
                "chart": mark_safe(charts.progress_svg(history)),  # noqa: S308
            },
        )

    return cached_page(request, _key(request, slug, "measure", code), render_page, memo=True)


@require_GET
def evidence_file(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A file of evidence the public reads (of an accepted public report or a
    current public assessment, itself marked public); 404 otherwise."""
    review, _plan = access.public_plan(slug)
    item = tracker.public_evidence(review.pk).filter(pk=pk).first()
    if item is None:
        raise Http404
    return evidence.download(item)


@require_GET
def data(request: HttpRequest, slug: str) -> HttpResponse:
    """The open data's page: the downloads, the schema and the licence."""
    review, plan_obj = access.public_plan(slug)
    return render(
        request,
        "actionplan/tracker/data.html",
        {
            "review": review,
            "plan": plan_obj,
            "columns": opendata.COLUMNS,
            "schema": opendata.SCHEMA,
            "licence": opendata.LICENCE,
            "licence_url": opendata.LICENCE_URL,
        },
    )


@require_GET
def data_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    review, plan_obj = access.public_plan(slug)
    response = StreamingHttpResponse(
        opendata.csv_rows(plan_obj, timezone.localdate()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{review.slug}-action-plan.csv"'
    response["Link"] = f'<{opendata.LICENCE_URL}>; rel="license"'
    return response


@require_GET
def data_json(request: HttpRequest, slug: str) -> HttpResponse:
    _review, plan_obj = access.public_plan(slug)
    body = json.dumps(opendata.as_json(plan_obj, timezone.localdate()), ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Link"] = f'<{opendata.LICENCE_URL}>; rel="license"'
    return response


app_name = "tracker"
urlpatterns = [
    path("<slug:slug>/", plan, name="plan"),
    path("<slug:slug>/overdue/", overdue, name="overdue"),
    path("<slug:slug>/measures/<str:code>/", measure, name="measure"),
    path("<slug:slug>/evidence/<int:pk>/", evidence_file, name="evidence"),
    path("<slug:slug>/data/", data, name="data"),
    path("<slug:slug>/data.csv", data_csv, name="data_csv"),
    path("<slug:slug>/data.json", data_json, name="data_json"),
    path("<slug:slug>/feed.atom", PlanFeed(), name="feed"),
]

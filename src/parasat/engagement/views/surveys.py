"""Stakeholder surveys: the list, making one, opening and closing it, the
respondents' links, the import of field submissions (a job), the results with
their charts and export, citing a result in a finding, and the respondent's
page (public link or emailed link)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parasat.assessment.frozen import frozen_form
from parasat.core.lib.charts import vegalite_svg
from parasat.core.lib.forms import add_errors, parse_pk
from parasat.engagement import access, calendars, exports, survey_charts, survey_jobs
from parasat.engagement import access_surveys as gate
from parasat.engagement.forms_surveys import CiteForm, SurveyForm, SurveyImportForm, TokensForm
from parasat.engagement.models import Survey, SurveyCitation, SurveyToken
from parasat.engagement.selectors_surveys import CHOICE_KINDS, survey_results
from parasat.engagement.services import surveys as services
from parasat.engagement.services.consultations import sender_key
from parasat.engagement.survey_presenters import respondent_items
from parasat.engagement.survey_tasks import send_survey_links
from parasat.engagement.views import page_context
from parasat.jobs.services import job_start
from parasat.reviews.permissions import Perm


def _runner(request: HttpRequest, slug: str) -> access.EngagementReader:
    return access.get_reader(request.user, slug, perm=Perm.RUN_SURVEYS)


@login_required
@require_GET
def survey_list(request: HttpRequest, slug: str) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.VIEW_SURVEYS)
    surveys = list(gate.readable_surveys(reader).select_related("questionnaire"))
    return render(
        request,
        "engagement/surveys/list.html",
        page_context(reader, surveys=surveys, runs=gate.runs_surveys(reader)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_new(request: HttpRequest, slug: str) -> HttpResponse:
    reader = _runner(request, slug)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.survey_create(
                review=reader.review,
                by=request.user,
                title=form.texts()["title"],
                description=form.texts()["description"],
                questionnaire=data["questionnaire"],
                respondents=data["respondents"],
                mode=data["mode"],
                results_confidentiality=data["results_confidentiality"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The survey is saved as a draft."))
            return redirect("engagement:survey", slug, survey.pk)
    return render(
        request,
        "engagement/surveys/form.html",
        page_context(reader, form=form),
        status=400 if form.errors else 200,
    )


def _detail(
    request: HttpRequest,
    reader: access.EngagementReader,
    survey: Survey,
    *,
    tokens_form: TokensForm | None = None,
    cite_form: CiteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    runs = gate.runs_surveys(reader)
    by = parse_pk(request.GET.get("by"))
    results = survey_results(survey, by=by)
    survey_charts.page_charts(results)
    public_url = (
        calendars.site_url(
            reverse("engagement:survey_take", args=[reader.review.slug, survey.link])
        )
        if survey.mode == Survey.Mode.ANONYMOUS and survey.state != Survey.State.DRAFT and runs
        else ""
    )
    tokens = (
        SurveyToken.objects.filter(survey=survey).order_by("pk")
        if runs and survey.mode == Survey.Mode.TOKEN
        else SurveyToken.objects.none()
    )
    cites = reader.can(Perm.DRAFT_ANALYSIS) and runs
    return render(
        request,
        "engagement/surveys/detail.html",
        page_context(
            reader,
            survey=survey,
            runs=runs,
            results=results,
            by=results.by,
            choice_questions=[r for r in results.questions if r.question.kind in CHOICE_KINDS],
            public_url=public_url,
            token_count=tokens.count() if runs else 0,
            tokens_used=tokens.filter(used_at__isnull=False).count() if runs else 0,
            tokens_form=tokens_form or TokensForm(initial={"language": translation.get_language()}),
            cites=cites,
            cite_form=cite_form
            or (CiteForm(review=reader.review, survey=survey) if cites else None),
            citations=SurveyCitation.objects.filter(survey=survey).select_related(
                "finding", "question"
            ),
        ),
        status=status,
    )


@login_required
@require_GET
def survey_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.VIEW_SURVEYS)
    return _detail(request, reader, gate.get_survey(reader, pk))


def _transition(request: HttpRequest, slug: str, pk: int, action, done: str) -> HttpResponse:  # noqa: ANN001
    reader = _runner(request, slug)
    survey = gate.get_survey(reader, pk)
    try:
        action(survey=survey)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("engagement:survey", slug, survey.pk)


CHART_KEY = re.compile(r"[0-9a-f]{64}")


@login_required
@require_GET
def survey_chart(request: HttpRequest, slug: str, pk: int, key: str) -> HttpResponse:
    """One chart of the results page, drawn when the page asks for it (htmx):
    from the specification the page kept, so the results are not counted
    again."""
    reader = access.get_reader(request.user, slug, perm=Perm.VIEW_SURVEYS)
    survey = gate.get_survey(reader, pk)
    spec = survey_charts.pending_spec(survey.pk, key) if CHART_KEY.fullmatch(key) else None
    return render(
        request, "engagement/surveys/_chart.html", {"svg": vegalite_svg(spec) if spec else ""}
    )


@login_required
@require_POST
def survey_open(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _transition(request, slug, pk, services.survey_open, _("The survey is open."))


@login_required
@require_POST
def survey_close(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _transition(request, slug, pk, services.survey_close, _("The survey is closed."))


@login_required
@require_POST
def results_publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _transition(request, slug, pk, services.results_publish, _("The results are published."))


@login_required
@require_POST
def tokens_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = _runner(request, slug)
    survey = gate.get_survey(reader, pk)
    form = TokensForm(request.POST)
    if form.is_valid():
        try:
            made = services.tokens_add(
                survey=survey, emails=form.addresses(), language=form.cleaned_data["language"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            ids = [t.pk for t in made]
            transaction.on_commit(lambda: send_survey_links.enqueue(token_ids=ids))
            messages.success(
                request,
                ngettext(
                    "%(count)s respondent will receive their link.",
                    "%(count)s respondents will receive their link.",
                    len(made),
                )
                % {"count": len(made)},
            )
            return redirect("engagement:survey", slug, survey.pk)
    return _detail(request, reader, survey, tokens_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def survey_import(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The team reads submissions collected in the field into the survey.
    Nothing is written unless every value of the file is right."""
    reader = _runner(request, slug)
    survey = gate.get_survey(reader, pk)
    form = SurveyImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and survey.state != Survey.State.OPEN:
        form.add_error(None, _("Responses are imported while the survey is open."))
    elif request.method == "POST" and form.is_valid():
        job = job_start(
            kind=survey_jobs.IMPORT,
            by=request.user,
            review=reader.review,
            params={"survey": survey.pk},
            upload=form.cleaned_data["file"],
        )
        return redirect("jobs:detail", pk=job.pk)
    return render(
        request,
        "engagement/surveys/import.html",
        page_context(reader, survey=survey, form=form),
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def results_export(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    """The results table (with the breakdown asked for) as XLSX or CSV: a
    few rows per question, built in the request."""
    if fmt not in exports.FORMATS:
        fmt = ""
    reader = access.get_reader(request.user, slug, perm=Perm.VIEW_SURVEYS)
    survey = gate.get_survey(reader, pk)
    if not fmt:
        return redirect("engagement:survey", slug, survey.pk)
    results = survey_results(survey, by=parse_pk(request.GET.get("by")))
    headers = [_("Code"), _("Question"), _("Answer"), _("Respondents"), _("Share (per cent)")]
    for group in results.groups:
        headers += [
            _("%(group)s: respondents") % {"group": group.label},
            _("%(group)s: share (per cent)") % {"group": group.label},
        ]
    rows = []
    for result in results.questions:
        if not result.counted:
            rows.append([result.question.code, result.label, _("answered"), result.answered, ""])
            continue
        for row in result.rows:
            line = [result.question.code, result.label, row.label, row.count, row.percent]
            for cell in row.cells:
                line += [cell.count, cell.percent]
            rows.append(line)
    content = (
        exports.to_csv(headers, rows)
        if fmt == "csv"
        else exports.to_xlsx(_("Results"), headers, rows)
    )
    day = timezone.localdate().isoformat()
    response = HttpResponse(content, content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{reader.review.slug}-survey-{survey.pk}-results-{day}.{fmt}"'
    )
    return response


@login_required
@require_POST
def cite(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = _runner(request, slug)
    if not reader.can(Perm.DRAFT_ANALYSIS):
        raise PermissionDenied
    survey = gate.get_survey(reader, pk)
    form = CiteForm(request.POST, review=reader.review, survey=survey)
    if form.is_valid():
        try:
            services.citation_add(
                survey=survey,
                finding=form.cleaned_data["finding"],
                question=form.cleaned_data["question"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The finding cites this result."))
            return redirect("engagement:survey", slug, survey.pk)
    return _detail(request, reader, survey, cite_form=form, status=400)


# --- The respondents ------------------------------------------------------------------


SESSION_KEY = "engagement:surveys_answered"


def _respond(
    request: HttpRequest, survey: Survey, *, token: SurveyToken | None = None
) -> HttpResponse:
    answered = request.session.get(SESSION_KEY, [])
    done = (token is not None and token.used_at is not None) or (
        token is None and survey.pk in answered
    )
    form = frozen_form(survey.questionnaire, translation.get_language() or "en")
    errors: dict[str, str] = {}
    general: list[str] = []
    raw: dict[str, object] = {}
    status = 200
    if request.method == "POST" and not done and survey.is_open:
        raw = {
            p.question.name: (
                request.POST.getlist(p.question.name)
                if p.question.kind == "select_multiple"
                else request.POST.get(p.question.name, "")
            )
            for p in form.parts
            if p.question.name
        }
        try:
            services.response_submit(
                survey=survey,
                raw=raw,
                sender=sender_key(request.META.get("REMOTE_ADDR", "")) if token is None else "",
                token=token,
            )
        except ValidationError as exc:
            status = 400
            if hasattr(exc, "error_dict"):
                errors = {name: " ".join(m) for name, m in exc.message_dict.items()}
            else:
                general = exc.messages
        else:
            if token is None:
                request.session[SESSION_KEY] = [*answered, survey.pk]
            return render(
                request,
                "engagement/surveys/take.html",
                {"survey": survey, "review": survey.review, "thanks": True},
            )
    return render(
        request,
        "engagement/surveys/take.html",
        {
            "survey": survey,
            "review": survey.review,
            "done": done,
            "items": respondent_items(form, raw, errors),
            "errors": errors,
            "general": general,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@never_cache
def survey_take(request: HttpRequest, slug: str, link: str) -> HttpResponse:
    """An anonymous respondent answers through the public link."""
    return _respond(request, gate.get_public_survey(slug, link))


@require_http_methods(["GET", "POST"])
@never_cache
def survey_answer(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """A respondent answers through the link emailed to them."""
    found = gate.get_token(slug, token)
    return _respond(request, found.survey, token=found)


urlpatterns = [
    path("", survey_list, name="surveys"),
    path("new/", survey_new, name="survey_new"),
    path("<int:pk>/", survey_detail, name="survey"),
    path("<int:pk>/chart/<str:key>/", survey_chart, name="survey_chart"),
    path("<int:pk>/open/", survey_open, name="survey_open"),
    path("<int:pk>/close/", survey_close, name="survey_close"),
    path("<int:pk>/publish/", results_publish, name="survey_publish"),
    path("<int:pk>/links/", tokens_add, name="survey_tokens"),
    path("<int:pk>/import/", survey_import, name="survey_import"),
    path("<int:pk>/results.<str:fmt>", results_export, name="survey_export"),
    path("<int:pk>/cite/", cite, name="survey_cite"),
    path("take/<str:link>/", survey_take, name="survey_take"),
    path("answer/<str:token>/", survey_answer, name="survey_answer"),
]

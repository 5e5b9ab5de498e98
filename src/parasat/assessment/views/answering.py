"""Answering: the form of one assignment, saving (automatic and explicit),
submitting, one answer with its evidence and comments, and its history.

The form works without JavaScript (each question is its own form with a Save
button); ``assessment/form.js`` adds live skip logic and constraints, automatic
saving, and a copy of unsaved edits in the browser so a closed tab loses
nothing."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django.views.decorators.http import require_GET, require_POST

from parasat.assessment import access, evidence, frozen, selectors, services
from parasat.assessment.access import Reader
from parasat.assessment.forms import DecideForm
from parasat.assessment.models import Answer, Assignment, Comment, Evidence
from parasat.assessment.values import (
    CHOICE_KINDS,
    Check,
    check_answers,
    display,
    is_answerable,
)
from parasat.assessment.views import page_context
from parasat.core.lib import pagecache
from parasat.core.lib.diff import word_diff
from parasat.core.lib.forms import parse_pk
from parasat.core.lib.urls import url_for_pks
from parasat.reviews.caching import reviews_version
from parasat.reviews.disclosure import Confidentiality
from parasat.reviews.permissions import Perm
from parasat.toolkit.models import Question

K = Question.Kind


def _ctx(reader: Reader, **extra: Any) -> dict[str, Any]:
    return page_context(
        reader, upload_limit_mb=round(settings.PARASAT_MAX_UPLOAD_BYTES / 1_048_576), **extra
    )


def _choices(choices: type[models.TextChoices]) -> list[tuple[str, str]]:
    """Choices with their labels translated once, not once per question drawn."""
    return [(value, str(label)) for value, label in choices.choices]


def _form_value(request: HttpRequest, question: Question) -> Any:
    if question.kind == K.SELECT_MULTIPLE:
        return request.POST.getlist("value")
    return request.POST.get("value", "")


class Links:
    """The URLs, labels and markup every row of the form repeats, worked out
    once per page."""

    def __init__(self, slug: str) -> None:
        self.answer = url_for_pks("assessment:answer", slug)
        self.history = url_for_pks("assessment:answer_history", slug)
        self.save = url_for_pks("assessment:answer_save", slug)
        self.download = url_for_pks("assessment:evidence_download", slug)
        self.withdraw = url_for_pks("assessment:evidence_withdraw", slug)
        self.statuses = dict(_choices(Answer.Status))
        levels = _choices(Confidentiality)
        self.levels = dict(levels)
        # The options of "Who may read this answer", one markup per level selected.
        self.level_options = {
            selected: format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((v, " selected" if v == selected else "", label) for v, label in levels),
            )
            for selected, _label in levels
        }
        self.last_saved = _("last saved %(when)s by %(who)s")

    def decorate(self, evidence: list[Evidence] | list[selectors.FormEvidence]) -> None:
        for item in evidence:
            item.download_url = self.download(item.pk)
            item.withdraw_url = self.withdraw(item.pk)
            item.confidentiality_label = self.levels.get(item.confidentiality, "")
            item.size_label = filesizeformat(item.size) if item.kind == Evidence.Kind.FILE else ""


class Item:
    """One answer's row of the form as ``_answer_row.html`` draws it: the
    question's fixed parts (drawn once per questionnaire version and language,
    see :mod:`parasat.assessment.frozen`) and what this reader's answer adds."""

    evidence_more = ""  # how many items the row does not list, in words
    evidence_draft: dict[str, Any] | None = None  # a failed add's values

    def __init__(
        self,
        part: frozen.QuestionPart,
        answer: Answer,
        check: Check,
        data: selectors.FormData,
        editable: bool,
        links: Links,
    ) -> None:
        question = part.question
        kind = question.kind
        self.part = part
        self.depth = part.depth
        self.heading = part.heading
        self.subheading = part.subheading
        self.rules = part.rules
        self.kind = kind
        self.is_choice = kind in CHOICE_KINDS
        # Evidence questions take their files in the row; others link to the answer's page.
        self.evidence_elsewhere = kind != K.EVIDENCE
        self.answer = answer
        self.check = check
        self.required = check.required or question.is_required
        self.evidence = data.evidence.get(answer.pk, [])
        # The form lists an answer's first few items; its page lists them all.
        self.evidence_count = data.evidence_counts.get(answer.pk, 0)
        hidden = self.evidence_count - len(self.evidence)
        if hidden > 0:
            self.evidence_more = ngettext(
                "%(count)s more item: every one is on the answer’s page",
                "%(count)s more items: every one is on the answer’s page",
                hidden,
            ) % {"count": hidden}
            self.evidence_url = f"{links.answer(answer.pk)}#h-evidence"
        self.comment_count = data.comment_counts.get(answer.pk, 0)
        self.editable = editable
        # As text: drawn a dozen times a row, and a number would be localised each time.
        self.pk = str(answer.pk)
        self.answer_url = links.answer(answer.pk)
        self.history_url = links.history(answer.pk)
        self.save_url = links.save(answer.pk)
        self.status_label = links.statuses[answer.status]
        links.decorate(self.evidence)
        raw = answer.raw
        self.text = display(question, raw, part.labels)
        self.value_json = json.dumps(raw, ensure_ascii=False)
        self.last_saved = ""
        if answer.updated_at:
            when = date_format(timezone.localtime(answer.updated_at), "j E Y, H:i")
            who = answer.updated_by.display_name if answer.updated_by else ""
            # As {% blocktranslate %} does: the values escaped, the sentence as translated.
            self.last_saved = mark_safe(  # noqa: S308
                links.last_saved % {"when": escape(when), "who": escape(who)}
            )
        if editable:
            self.level_options = links.level_options.get(answer.confidentiality, "")
            selected = set(raw if isinstance(raw, list) else [raw] if raw else [])
            self.selected = bool(selected)
            if self.is_choice:
                kind = "checkbox" if question.kind == K.SELECT_MULTIPLE else "radio"
                self.choice_inputs = format_html_join(
                    "",
                    '<label class="choice"><input type="{}" name="value" value="{}"{}> {}</label>',
                    (
                        (kind, c.name, " checked" if c.name in selected else "", c.label)
                        for c in part.choices
                    ),
                )


# The words every row repeats, per language: translated once, not once per row.
_WORDS = {
    "t_add_evidence": gettext_noop("Add evidence: a file, a link or a legal act"),
    "t_answer": gettext_noop("Answer"),
    "t_date": gettext_noop("Date"),
    "t_details": gettext_noop("Details and comments"),
    "t_evidence": gettext_noop("Evidence"),
    "t_explanation": gettext_noop("Explanation and sources"),
    "t_history": gettext_noop("History"),
    "t_no_answer_yet": gettext_noop("No answer yet"),
    "t_not_asked": gettext_noop("Not asked, given the answers above."),
    "t_evidence_note": gettext_noop("Note on the evidence supplied"),
    "t_returned_by": gettext_noop("Returned by the co-ordinator:"),
    "t_save": gettext_noop("Save"),
    "t_who_may_read": gettext_noop("Who may read this answer"),
    "t_withdraw": gettext_noop("Withdraw"),
    "t_a_number": gettext_noop("a number"),
    "t_a_whole_number": gettext_noop("a whole number"),
    "t_required": gettext_noop("required"),
}


def _row_key(
    form_key: tuple[Any, ...],
    part: frozen.QuestionPart,
    answer: Answer,
    check: Check,
    data: selectors.FormData,
    editable: bool,
    reader: Reader,
) -> tuple[Any, ...]:
    """Everything an answer's row shows beside the CSRF token: the row kept
    under it is the row drawn now (see ``frozen.kept_row``). A new input of
    ``_answer_row.html`` or ``_evidence_list.html`` must be named here."""
    pk = answer.pk
    by = answer.updated_by
    return (
        form_key,  # the questionnaire's version and last change, the language
        part.question.pk,
        reader.review.slug,  # in every link
        timezone.get_current_timezone_name(),  # the time of the last save
        reader.is_coordinator,  # the rule problems shown
        editable,
        pk,
        answer.status,
        answer.version,
        json.dumps(answer.value, ensure_ascii=False, sort_keys=True),
        answer.explanation,
        answer.confidentiality,
        answer.return_reason,
        answer.updated_at,
        by.display_name if by else None,
        check.relevant,
        check.required,
        str(check.error),
        data.comment_counts.get(pk, 0),
        data.evidence_counts.get(pk, 0),
        tuple(
            (e.pk, e.kind, e.title, e.url, e.citation, e.size, e.confidentiality)
            for e in data.evidence.get(pk, ())
        ),
    )


def _rows(
    request: HttpRequest, reader: Reader, form: frozen.FrozenForm, data: selectors.FormData
) -> tuple[SafeString, list[Answer], int]:
    """The form's rows as one piece of markup, the answers shown and how many
    of them the reader may edit. Each answer's row comes from this process's
    memory when one with the same key (everything it shows) was drawn before;
    a save, an upload or a comment changes its answer's key, and that row alone
    is drawn again."""
    has_files = {
        q.name: bool(data.evidence_counts.get(data.answers[q.pk].pk))
        for q in form.questions
        if q.pk in data.answers
    }
    language = translation.get_language()
    checks = check_answers(
        list(form.questions), data.values(), language=language, has_evidence=has_files
    )
    draft = _evidence_draft(request)
    pieces: list[str] = []
    answers: list[Answer] = []
    editable_count = 0
    context: dict[str, Any] | None = None  # the row template's, made on the first row drawn
    for part in form.parts:
        question = part.question
        if part.markup:  # a group's start or end, or a note: the same for every reader
            pieces.append(part.markup)
            continue
        if not is_answerable(question) or question.pk not in data.answers:
            continue  # an answer missing here is one the reader may not read
        answer = data.answers[question.pk]
        answers.append(answer)
        editable = reader.may_edit(answer)
        editable_count += editable
        check = checks.get(question.name) or Check()
        row_draft = draft if draft and draft["answer"] == answer.pk else None
        key = None
        if form.key is not None and row_draft is None:
            key = _row_key(form.key, part, answer, check, data, editable, reader)
            if (row := frozen.kept_row(key)) is not None:
                pieces.append(row)
                continue
        if context is None:
            context = _row_context(reader)
        item = Item(part, answer, check, data, editable, context["links"])
        item.evidence_draft = row_draft
        row = loader.render_to_string("assessment/_answer_row.html", {**context, "item": item})
        if key is not None:
            frozen.keep_row(key, row)
        pieces.append(row)
    # The rows hold a placeholder for the token: the only part of them no two requests share.
    markup = "".join(pieces).replace(pagecache.CSRF_HOLE, get_token(request))
    return mark_safe(markup), answers, editable_count  # noqa: S308 — rows drawn escaped


def _row_context(reader: Reader) -> dict[str, Any]:
    return {
        **{name: _(word) for name, word in _WORDS.items()},
        "links": Links(reader.review.slug),
        "review": reader.review,
        "is_coordinator": reader.is_coordinator,
        "csrf_token": pagecache.CSRF_HOLE,
        "upload_limit_mb": round(settings.PARASAT_MAX_UPLOAD_BYTES / 1_048_576),
        "confidentiality": _choices(Confidentiality),
        "evidence_kinds": _choices(Evidence.Kind),
    }


@login_required
@require_GET
def assignment(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug)
    # What the kept page's key needs, read alone: the columns of the whole
    # assignment, its questionnaire, area, ministry and contact person cost
    # twice as much to read, and only a page drawn anew shows them.
    stamp = access.get_assignment(reader, pk, _STAMP)

    def draw() -> HttpResponse:
        found = list(Assignment.objects.for_pages().filter(pk=stamp.pk).order_by())
        if not found:  # deleted since
            raise Http404
        return _assignment_page(request, reader, found[0])

    if _EVIDENCE_DRAFT in request.session:  # drawn with what a failed add left, once
        return draw()
    # Kept in the process alone: the key changes with every save in the
    # assignment, and writing each page to the shared (file) cache costs a
    # file and a listing of the cache's directory (~0.75 ms CPU, ~2 ms in all)
    # for a page the other process draws from its own kept rows.
    return pagecache.cached_page(
        request, _page_key(request, reader, stamp), draw, memo=True, shared=False
    )


# Of an assignment, what the access check and the kept page's key read.
_STAMP = Assignment.objects.select_related("questionnaire").only(
    "review_id",
    "ministry_id",
    "last_activity_at",
    "updated_at",
    "questionnaire__version",
    "questionnaire__updated_at",
)


# How long a kept page may show a person or a ministry renamed (which no token follows).
PAGE_MINUTES = 5


def _page_key(request: HttpRequest, reader: Reader, item: Assignment) -> str:
    """Everything the whole page shows beyond its rows' keys, for the page
    kept whole (``pagecache``, in this process). Every change of the
    assignment's answers, evidence, comments or states goes through the
    services, which record it as the assignment's last activity in the same
    transaction (a request that reads the new moment reads the new rows); the
    assignment's last change (due date, contact person), the questionnaire's
    last change (its texts), the reviews' token (who takes part, the stage),
    the day, the time zone, the language, the reader and what they may do, and
    the address do the rest. Not the assessment's token, which any change in
    the review renews: another ministry's save does not draw this page again.
    A person, a ministry or an area renamed (which no token follows) shows
    within :data:`PAGE_MINUTES`."""
    questionnaire = item.questionnaire
    now = timezone.now()
    return ":".join(
        [
            "assessment:form",
            str(item.pk),
            str(item.last_activity_at),
            str(item.updated_at),
            str(questionnaire.pk),
            str(questionnaire.version),
            str(questionnaire.updated_at),
            reviews_version(),
            timezone.localdate(now).isoformat(),
            timezone.get_current_timezone_name(),
            translation.get_language() or "",
            pagecache.reader_key(request),
            # What the reader may do follows from these (reader.access.perms).
            ",".join(sorted(reader.access.roles)),
            str(reader.access.is_admin),
            request.get_full_path(),
            str(int(now.timestamp()) // (PAGE_MINUTES * 60)),
        ]
    )


def _assignment_page(request: HttpRequest, reader: Reader, item: Assignment) -> HttpResponse:
    form = frozen.frozen_form(item.questionnaire, translation.get_language())
    data = selectors.form_data(reader, item, form.questions)
    rows, answers, editable_count = _rows(request, reader, form, data)
    # The dashboard's row for this assignment, over the answers this reader reads.
    progress = selectors.progress_row(
        item, selectors.count_answers(answers), today=timezone.localdate()
    )
    return render(
        request,
        "assessment/assignment.html",
        _ctx(
            reader,
            assignment=item,
            rows=rows,
            counts=progress,
            editable_count=editable_count,
            can_edit=bool(editable_count),
            overdue=progress.overdue,
        ),
    )


@login_required
@require_POST
def assignment_submit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.ANSWER)
    item = access.get_assignment(reader, pk)
    if not reader.may_edit_assignment(item):
        raise PermissionDenied
    url = reverse("assessment:assignment", args=[slug, pk])
    try:
        submitted = services.assignment_submit(assignment=item, by=request.user)
    except services.NotSubmittable as exc:
        # One message, each question a link to where it is answered.
        items = format_html_join(
            "",
            '<li><a href="#q-{}">{}</a>: {}</li>',
            ((q.name, q.code or q.name, problem) for q, problem in exc.problems),
        )
        messages.error(
            request,
            format_html(
                "{}<ul>{}</ul>", _("Nothing was submitted. These questions still need you:"), items
            ),
        )
        return redirect(url)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(url)
    messages.success(
        request,
        translation.ngettext(
            "%(count)s answer was submitted to the co-ordinator.",
            "%(count)s answers were submitted to the co-ordinator.",
            len(submitted),
        )
        % {"count": len(submitted)},
    )
    return redirect(url)


@login_required
@require_POST
def answer_save(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Save one answer. Answers JSON to form.js (``X-Requested-With: fetch``),
    redirects back to the form otherwise. A save that started from an older
    version than the stored one is refused with both versions shown."""
    reader = access.get_reader(request.user, slug, perm=Perm.ANSWER)
    answer = access.get_answer_for_edit(reader, pk)
    # Automatic saves come from form.js, by fetch or (leaving the page) by a
    # beacon, which cannot set headers: both get JSON and no message.
    is_fetch = (
        request.headers.get("X-Requested-With") == "fetch" or request.POST.get("automatic") == "1"
    )
    back = reverse("assessment:assignment", args=[slug, answer.assignment_id]) + (
        f"#q-{answer.question.name}"
    )
    try:
        changed = services.answer_save(
            answer=answer,
            by=request.user,
            value=_form_value(request, answer.question),
            explanation=request.POST.get("explanation", ""),
            confidentiality=request.POST.get("confidentiality", ""),
            base_version=_base_version(request),
            automatic=request.POST.get("automatic") == "1",
        )
    except services.EditConflict as conflict:
        return _conflict(request, reader, answer, conflict, is_fetch=is_fetch)
    except ValidationError as exc:
        if is_fetch:
            return JsonResponse({"ok": False, "errors": exc.messages}, status=422)
        for message in exc.messages:
            messages.error(
                request,
                _("%(code)s: %(message)s")
                % {"code": answer.question.code or answer.question.name, "message": message},
            )
        return redirect(back)
    if is_fetch:
        return JsonResponse(
            {
                "ok": True,
                "changed": changed,
                "version": answer.version,
                "saved_at": timezone.localtime(answer.updated_at).strftime("%H:%M")
                if answer.updated_at
                else "",
            }
        )
    if changed:
        messages.success(
            request,
            _("%(code)s saved.") % {"code": answer.question.code or answer.question.name},
        )
    return redirect(back)


def _base_version(request: HttpRequest) -> int:
    """The version the editor started from, as the form sent it."""
    try:
        return int(request.POST.get("base_version", ""))
    except ValueError:
        raise ValidationError(
            _("This form is incomplete or out of date: reload the page and try again.")
        ) from None


def _conflict(
    request: HttpRequest,
    reader: Reader,
    answer: Answer,
    conflict: services.EditConflict,
    *,
    is_fetch: bool,
) -> HttpResponse:
    theirs = conflict.answer
    latest = theirs.versions.select_related("saved_by").order_by("-number").first()
    labels = selectors.question_labels(answer.question)
    mine = conflict.mine
    ctx = _ctx(
        reader,
        answer=answer,
        theirs=theirs,
        latest=latest,
        theirs_text=display(answer.question, theirs.raw, labels),
        mine_text=display(answer.question, (mine["value"] or {}).get("value"), labels),
        mine=mine,
        mine_raw=(mine["value"] or {}).get("value"),
        mine_confidentiality=Confidentiality(mine["confidentiality"]).label,
    )
    template = "assessment/_conflict.html" if is_fetch else "assessment/conflict.html"
    return render(request, template, ctx, status=409)


def _answer_ctx(reader: Reader, answer: Answer) -> dict[str, Any]:
    question = answer.question
    labels = selectors.question_labels(question)
    evidence = selectors.current_evidence(reader, answer)
    Links(reader.review.slug).decorate(evidence)
    comments = (
        list(answer.comments.select_related("author", "corrects").order_by("created_at", "pk"))
        if reader.may_see_comments(answer)
        else []
    )
    return _ctx(
        reader,
        answer=answer,
        question=question,
        assignment=answer.assignment,
        text=display(question, answer.raw, labels),
        provisions=list(question.provisions.select_related("instrument")),
        evidence=evidence,
        comments=comments,
        may_edit=reader.may_edit(answer),
        may_comment=reader.may_comment(answer),
        may_see_comments=reader.may_see_comments(answer),
        may_decide=reader.can(Perm.DECIDE_ANSWERS) and answer.status == Answer.Status.SUBMITTED,
        confidentiality=_choices(Confidentiality),
        evidence_kinds=_choices(Evidence.Kind),
    )


@login_required
@require_GET
def answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug)
    item = access.get_answer(reader, pk)
    ctx = _answer_ctx(reader, item)
    draft = _evidence_draft(request)
    ctx["evidence_draft"] = draft if draft and draft["answer"] == item.pk else None
    # "Add evidence" in the form leads here with the upload form open.
    ctx["open_add_evidence"] = request.GET.get("evidence") == "add"
    # A decision on this answer that was refused: its errors, beside its fields.
    ctx["decision"] = DecideForm.restored(request.session, answers=[str(item.pk)])
    return render(request, "assessment/answer.html", ctx)


@login_required
@require_GET
def answer_history(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Every saved version with who and when, every change of state, and two
    versions side by side (``?a=1&b=3``; by default the last two)."""
    reader = access.get_reader(request.user, slug)
    item = access.get_answer(reader, pk)
    history = selectors.answer_history(reader, item)
    question = item.question
    labels = selectors.question_labels(question)
    versions = history.versions
    for v in versions:
        v.text = display(question, v.raw, labels)
    by_number = {v.number: v for v in versions}

    def pick(name: str, default: int | None) -> int | None:
        try:
            number = int(request.GET.get(name, ""))
        except ValueError:
            return default
        return number if number in by_number else default

    b = pick("b", versions[-1].number if versions else None)
    a = pick("a", versions[-2].number if len(versions) > 1 else b)
    compare = None
    if a is not None and b is not None:
        left, right = by_number[a], by_number[b]
        compare = {
            "left": left,
            "right": right,
            "value_changed": left.value != right.value,
            "confidentiality_changed": left.confidentiality != right.confidentiality,
            "explanation": word_diff(left.explanation, right.explanation),
        }
    return render(
        request,
        "assessment/history.html",
        _ctx(
            reader,
            answer=item,
            question=question,
            assignment=item.assignment,
            history=history,
            versions=versions,
            compare=compare,
        ),
    )


@login_required
@require_POST
def evidence_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.ANSWER)
    item = access.get_answer_for_edit(reader, pk)
    kind = request.POST.get("kind", Evidence.Kind.FILE)
    confidentiality = request.POST.get("confidentiality", Confidentiality.TEAM)
    title = request.POST.get("title", "")
    try:
        if kind == Evidence.Kind.FILE:
            upload = request.FILES.get("file")
            if upload is None:
                raise ValidationError(_("Choose a file to upload."))
            services.evidence_add_file(
                answer=item,
                by=request.user,
                upload=upload,
                title=title,
                confidentiality=confidentiality,
            )
        else:
            services.evidence_add_reference(
                answer=item,
                by=request.user,
                kind=kind,
                title=title,
                url=request.POST.get("url", ""),
                citation=request.POST.get("citation", ""),
                confidentiality=confidentiality,
            )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, _("Evidence not added: %(reason)s") % {"reason": message})
        # What was typed comes back in the form, opened, with the reason beside it
        # (a file cannot be given back: the browser asks for it again).
        request.session[_EVIDENCE_DRAFT] = {
            "answer": item.pk,
            "kind": kind if kind in Evidence.Kind.values else Evidence.Kind.FILE,
            "url": request.POST.get("url", "")[:2000],
            "citation": request.POST.get("citation", "")[:300],
            "title": title[:300],
            "confidentiality": confidentiality,
            "errors": exc.messages,
        }
    else:
        messages.success(request, _("Evidence added."))
    return redirect(_back(request, slug, item))


_EVIDENCE_DRAFT = "assessment:evidence_draft"


def _evidence_draft(request: HttpRequest) -> dict[str, Any] | None:
    """The evidence a failed add left to fill in again, once."""
    return request.session.pop(_EVIDENCE_DRAFT, None)


def _back(request: HttpRequest, slug: str, item: Answer) -> str:
    """Back to the answer page, or to the form when the request came from it."""
    if request.POST.get("next") == "form":
        return reverse("assessment:assignment", args=[slug, item.assignment_id]) + (
            f"#q-{item.question.name}"
        )
    return reverse("assessment:answer", args=[slug, item.pk])


@login_required
@require_GET
def evidence_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The file, to whoever may read both the answer and the file."""
    reader = access.get_reader(request.user, slug)
    item = access.get_evidence(reader, pk)
    return evidence.download(item)


@login_required
@require_POST
def evidence_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.ANSWER)
    item = access.get_evidence(reader, pk)
    answer_ = access.get_answer_for_edit(reader, item.answer_id)
    try:
        services.evidence_withdraw(evidence=item, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The evidence was withdrawn; it stays in the history."))
    return redirect(_back(request, slug, answer_))


@login_required
@require_POST
def comment_post(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.COMMENT)
    item = access.get_answer(reader, pk)
    if not reader.may_comment(item):
        raise PermissionDenied
    corrects = None
    if request.POST.get("corrects"):
        corrects_pk = parse_pk(request.POST["corrects"])
        if corrects_pk is not None:
            corrects = Comment.objects.filter(answer=item, pk=corrects_pk).first()
        if corrects is None:
            raise Http404
    try:
        services.comment_post(
            answer=item, by=request.user, body=request.POST.get("body", ""), corrects=corrects
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Comment posted."))
    return redirect(reverse("assessment:answer", args=[slug, item.pk]) + "#comments")


urlpatterns = [
    path("assignments/<int:pk>/", assignment, name="assignment"),
    path("assignments/<int:pk>/submit/", assignment_submit, name="assignment_submit"),
    path("answers/<int:pk>/", answer, name="answer"),
    path("answers/<int:pk>/save/", answer_save, name="answer_save"),
    path("answers/<int:pk>/history/", answer_history, name="answer_history"),
    path("answers/<int:pk>/evidence/", evidence_add, name="evidence_add"),
    path("answers/<int:pk>/comments/", comment_post, name="comment_post"),
    path("evidence/<int:pk>/", evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/withdraw/", evidence_withdraw, name="evidence_withdraw"),
]

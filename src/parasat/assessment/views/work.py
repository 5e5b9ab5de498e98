"""The work of the self-assessment: who has what, how far each assignment
has come, and the co-ordinator's decisions.

- ``home``: the progress dashboard (co-ordinator and analytical team); a
  contact person is sent to "my work", other readers see what they may read;
- ``mine``: what is assigned to my ministry or me, and what was returned and why;
- ``assign`` / ``reassign``: the co-ordinator gives areas or questionnaires to
  ministries and contact persons with due dates;
- ``queue`` / ``decide`` / ``forward``: the submitted answers, accepted or
  returned many at once, and an area's accepted answers forwarded to the
  analytical team;
- ``stage``: the analytical team opens peer review and publishes public answers;
- ``summary``: the totals on the review overview (loaded by htmx, so the cached
  overview runs no query of this app).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parasat.assessment import access, selectors, services
from parasat.assessment.access import Reader
from parasat.assessment.caching import assessment_version
from parasat.assessment.forms import (
    UNFILED,
    AssignForm,
    DecideForm,
    ProgressFilterForm,
    ReassignForm,
)
from parasat.assessment.models import Assignment
from parasat.assessment.views import page_context
from parasat.core.lib.forms import add_errors, parse_pk
from parasat.core.lib.pagecache import cached_page, reader_key
from parasat.core.lib.urls import url_for_pks
from parasat.core.templatetags.translated import tr
from parasat.reviews.caching import reviews_version
from parasat.reviews.disclosure import Confidentiality
from parasat.reviews.permissions import Perm
from parasat.toolkit.models import PolicyArea

_ctx = page_context


# --- seeing the work -----------------------------------------------------------------


def _linked(
    rows: list[selectors.ProgressRow], slug: str, *, reassign: bool = False
) -> list[selectors.ProgressRow]:
    """Give each row its links, reversed once per kind rather than once per row,
    its dates as the progress table shows them, each day formatted once (most
    rows share their due date), and its row of the table (``html``; with the
    reassign link when ``reassign`` and something is left to reassign)."""
    open_url = url_for_pks("assessment:assignment", slug)
    reassign_url = url_for_pks("assessment:reassign", slug)
    days: dict[dt.date, str] = {}

    def day(date: dt.date) -> str:
        text = days.get(date)
        if text is None:
            text = days[date] = date_format(date, "j E Y")
        return text

    labels = _row_labels()
    for row in rows:
        assignment = row.assignment
        row.url = open_url(assignment.pk)
        row.reassign_url = reassign_url(assignment.pk)
        row.due_text = day(assignment.due_on)
        at = assignment.last_activity_at
        if at is None:
            row.activity_text = "—"
        else:  # as the date filter's "j E Y, H:i", in the current time zone
            at = timezone.localtime(at)
            row.activity_text = f"{day(at.date())}, {at:%H:%M}"
        row.html = _row_html(row, labels, reassign=reassign and row.reassignable)
    return rows


def _row_labels() -> dict[str, str]:
    """The progress table's column names and marks, translated once a page."""
    return {
        name: conditional_escape(text)
        for name, text in {
            "due": _("Due on"),
            "answered": _("Answered"),
            "submitted": _("Submitted"),
            "returned": _("Returned"),
            "accepted": _("Accepted"),
            "forwarded": _("Forwarded"),
            "activity": _("Last activity"),
            "overdue": _("overdue"),
            "reassign": _("reassign"),
        }.items()
    }


def _row_html(row: selectors.ProgressRow, t: dict[str, str], *, reassign: bool) -> SafeString:
    """One row of ``_progress_table.html``, drawn here: the template engine took
    most of the dashboard's time drawn anew, a third of it in these rows."""
    a = row.assignment
    code = conditional_escape(a.questionnaire.identifier)
    who = (
        f'<br><span class="muted">{conditional_escape(a.assignee.display_name)}</span>'
        if a.assignee
        else ""
    )
    again = (
        f'<br><a class="small-link" href="{conditional_escape(row.reassign_url)}">'
        f'{t["reassign"]}<span class="visually-hidden"> — {code}</span></a>'
        if reassign
        else ""
    )
    late = f' <span class="badge badge-danger">{t["overdue"]}</span>' if row.overdue else ""
    counts = "".join(
        f'\n      <td role="cell" class="num" data-label="{t[name]}">{value}</td>'
        for name, value in (
            ("answered", conditional_escape(row.answered_of_total)),
            ("submitted", row.submitted),
            ("returned", row.returned),
            ("accepted", row.accepted),
            ("forwarded", row.forwarded),
        )
    )
    return mark_safe(  # noqa: S308 - every value above is escaped
        f'\n    <tr role="row"{' class="overdue"' if row.overdue else ""}>'
        f'\n      <th scope="row" role="rowheader"><a href="{conditional_escape(row.url)}">'
        f'<span class="code">{code}</span> {tr(a.questionnaire.title)}</a></th>'
        f'\n      <td role="cell">{conditional_escape(a.ministry)}{who}\n        {again}</td>'
        f'\n      <td role="cell" class="date" data-label="{t["due"]}">'
        f"{conditional_escape(row.due_text)}{late}</td>"
        f"{counts}"
        f'\n      <td role="cell" class="date" data-label="{t["activity"]}">'
        f"{conditional_escape(row.activity_text)}</td>"
        "\n    </tr>\n    "
    )


def _progress_key(request: HttpRequest, reader: Reader, today: dt.date, page: str) -> str:
    """The cache key of a page of the review's progress. It changes only with
    the review's work (the assessment's token), who takes part and the stage
    (the reviews' token), the day (overdue), the language, the reader and what
    they may do, and the address (filters, page)."""
    return ":".join(
        [
            page,
            reviews_version(),
            assessment_version(reader.review.pk),
            today.isoformat(),
            get_language() or "",
            reader_key(request),
            "".join("1" if allowed else "0" for allowed in reader.access.perms.values()),
            request.get_full_path(),
        ]
    )


@login_required
@require_GET
def home(request: HttpRequest, slug: str) -> HttpResponse:
    """The progress dashboard, filtered by GET parameters."""
    reader = access.get_reader(request.user, slug)
    if not reader.can(Perm.VIEW_PROGRESS):
        if reader.can(Perm.ANSWER):
            return redirect("assessment:mine", slug=slug)
        return render(
            request,
            "assessment/readable.html",
            _ctx(reader, assignments=list(selectors.readable_assignments(reader))),
        )
    today = timezone.localdate()

    def render_page() -> HttpResponse:
        filters = selectors.dashboard_filters(reader)
        form = ProgressFilterForm(request.GET if request.GET else None, filters=filters)
        data = selectors.dashboard(
            reader,
            today=today,
            filters=filters,
            page=parse_pk(request.GET.get("page")) or 1,  # a page number, like a key: 1 and up
            **form.filters(),
        )
        _linked(data.rows, slug, reassign=reader.can(Perm.ASSIGN_WORK))
        # The pages' links keep the filters.
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "assessment/dashboard.html",
            _ctx(
                reader,
                form=form,
                progress=data,
                filtered=any(form.filters().values()),
                page_query=query.urlencode(),
                stage=reader.stage,
            ),
        )

    key = _progress_key(request, reader, today, "assessment:dashboard")
    return cached_page(request, key, render_page)


@login_required
@require_GET
def summary(request: HttpRequest, slug: str) -> HttpResponse:
    """The totals of the dashboard, for the review overview."""
    reader = access.get_reader(request.user, slug, perm=Perm.VIEW_PROGRESS)
    today = timezone.localdate()

    def render_part() -> HttpResponse:
        data = selectors.progress(reader, today=today)
        return render(request, "assessment/_summary.html", _ctx(reader, progress=data))

    key = _progress_key(request, reader, today, "assessment:summary")
    return cached_page(request, key, render_part)


@login_required
@require_GET
def mine(request: HttpRequest, slug: str) -> HttpResponse:
    """What is assigned to my ministry or to me, and what came back to me."""
    reader = access.get_reader(request.user, slug, perm=Perm.ANSWER)
    return render(
        request,
        "assessment/mine.html",
        _ctx(
            reader,
            rows=_linked(selectors.my_progress(reader, today=timezone.localdate()), slug),
            returned=list(selectors.returned_answers(reader)),
        ),
    )


# --- assigning -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assign(request: HttpRequest, slug: str) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.ASSIGN_WORK)
    options = selectors.assign_options(reader.review)
    form = AssignForm(request.POST or None, options=options)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people = {
            "review": reader.review,
            "ministry": data["ministry"],
            "assignee": data["assignee"],
            "due_on": data["due_on"],
            "by": request.user,
        }
        try:
            if data["area"] is not None:
                made = services.area_assign(area=data["area"], **people)
            else:
                made = [services.assignment_create(questionnaire=data["questionnaire"], **people)]
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s questionnaire was assigned to %(ministry)s.",
                    "%(count)s questionnaires were assigned to %(ministry)s.",
                    len(made),
                )
                % {"count": len(made), "ministry": data["ministry"]},
            )
            return redirect("assessment:assign", slug=slug)
    rows = _linked(selectors.progress(reader, today=timezone.localdate()).rows, slug, reassign=True)
    return render(
        request,
        "assessment/assign.html",
        _ctx(reader, form=form, options=options, rows=rows, groups=selectors.group_rows(rows)),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def reassign(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.ASSIGN_WORK)
    assignment = access.get_assignment(reader, pk)
    try:
        services.check_reassignable(assignment)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("assessment:assign", slug=slug)
    options = selectors.assign_options(reader.review)
    form = ReassignForm(request.POST or None, options=options, assignment=assignment)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_reassign(
                assignment=assignment, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(questionnaire)s is now assigned to %(ministry)s, due on %(date)s.")
                % {
                    "questionnaire": assignment.questionnaire.identifier,
                    "ministry": assignment.ministry,
                    "date": date_format(assignment.due_on, "j E Y"),
                },
            )
            return redirect("assessment:assign", slug=slug)
    return render(
        request,
        "assessment/reassign.html",
        _ctx(reader, form=form, assignment=assignment),
        status=400 if form.errors else 200,
    )


# --- deciding and forwarding -----------------------------------------------------------


def _queue_page(request: HttpRequest, reader: Reader, form: DecideForm) -> HttpResponse:
    return render(
        request,
        "assessment/queue.html",
        _ctx(
            reader,
            items=selectors.decision_queue(reader),
            awaiting=selectors.awaiting_forward(reader),
            form=form,
            chosen=form.chosen,
            unfiled=UNFILED,
        ),
    )


@login_required
@require_GET
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    """The submitted answers, by assignment, to accept or return many at once."""
    reader = access.get_reader(request.user, slug, perm=Perm.DECIDE_ANSWERS)
    return _queue_page(request, reader, DecideForm.restored(request.session))


@login_required
@require_POST
def decide(request: HttpRequest, slug: str) -> HttpResponse:
    """Accept, or return with a reason, the checked answers: all or none."""
    reader = access.get_reader(request.user, slug, perm=Perm.DECIDE_ANSWERS)
    form = DecideForm(request.POST)
    # A decision taken on an answer's own page goes back there.
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    if form.is_valid():
        pks = form.cleaned_data["answers"]
        answers = list(reader.answers().filter(pk__in=pks))
        accept = form.cleaned_data["decision"] == DecideForm.ACCEPT
        try:
            if len(answers) != len(pks):
                raise ValidationError(
                    _(
                        "Some of the chosen answers do not exist in this review. "
                        "Nothing was changed."
                    )
                )
            decided = services.answers_decide(
                answers=answers, by=request.user, accept=accept, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if accept:
                text = ngettext(
                    "%(count)s answer was accepted.",
                    "%(count)s answers were accepted.",
                    len(decided),
                )
            else:
                text = ngettext(
                    "%(count)s answer was returned to the ministry.",
                    "%(count)s answers were returned to the ministry.",
                    len(decided),
                )
            messages.success(request, text % {"count": len(decided)})
            return redirect(back or reverse("assessment:queue", args=[slug]))
    # Back to the page the decision came from, which shows each error beside
    # its field with the choice kept; a reload there posts nothing again.
    form.keep(request.session)
    return redirect(back or reverse("assessment:queue", args=[slug]))


def _confirmed(request: HttpRequest) -> bool:
    """The person confirmed on the confirmation page; anything else (a GET, a
    form sent from elsewhere) shows that page first and changes nothing."""
    return request.method == "POST" and request.POST.get("confirmed") == "yes"


def _confirm_page(
    request: HttpRequest,
    reader: Reader,
    *,
    heading: str,
    explanation: list[str],
    irreversible: str,
    confirm_label: str,
    action_url: str,
    fields: dict[str, str],
    cancel_url: str,
) -> HttpResponse:
    """Ask before an irreversible step, saying what cannot be undone. A page,
    not a script's dialog: it works in every browser."""
    return render(
        request,
        "core/confirm.html",
        _ctx(
            reader,
            section_nav="assessment",
            section_name=_("Self-assessment"),
            heading=heading,
            explanation=explanation,
            irreversible=irreversible,
            confirm_label=confirm_label,
            action_url=action_url,
            fields=fields,
            cancel_url=cancel_url,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def forward(request: HttpRequest, slug: str) -> HttpResponse:
    """Send an area's accepted answers to the analytical team, once confirmed."""
    reader = access.get_reader(request.user, slug, perm=Perm.DECIDE_ANSWERS)
    data = request.POST if request.method == "POST" else request.GET
    code = data.get("area", "")
    area = None
    assignments: list[Assignment] = []
    if code == UNFILED:
        assignments = list(
            Assignment.objects.filter(review=reader.review, questionnaire__area__isnull=True)
        )
    else:
        area = PolicyArea.objects.filter(code=code).first() if code else None
        if area is None:
            messages.error(request, _("Choose an area whose accepted answers to forward."))
            return redirect("assessment:queue", slug=slug)
    if not _confirmed(request):
        waiting = {
            row.area.code if row.area else UNFILED: row.count
            for row in selectors.awaiting_forward(reader)
        }
        count = waiting.get(code, 0)
        if not count:
            messages.error(request, _("There are no accepted answers to forward."))
            return redirect("assessment:queue", slug=slug)
        where = f"{area.code} {area.name}" if area else _("questionnaires not filed under an area")
        return _confirm_page(
            request,
            reader,
            heading=_("Forward the accepted answers to the analytical team?"),
            explanation=[
                ngettext(
                    "%(count)s accepted answer of %(area)s goes to the analytical team as "
                    "preliminary findings.",
                    "%(count)s accepted answers of %(area)s go to the analytical team as "
                    "preliminary findings.",
                    count,
                )
                % {"count": count, "area": where},
                _("Answers marked government only are forwarded too and stay closed to the team."),
            ],
            irreversible=_(
                "This cannot be undone: forwarded answers can no longer be changed, "
                "returned or taken back."
            ),
            confirm_label=ngettext("Forward %(count)s answer", "Forward %(count)s answers", count)
            % {"count": count},
            action_url=reverse("assessment:forward", args=[slug]),
            fields={"area": code},
            cancel_url=reverse("assessment:queue", args=[slug]),
        )
    try:
        sent = services.area_forward(
            review=reader.review, area=area, assignments=assignments, by=request.user
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s accepted answer was forwarded to the analytical team.",
                "%(count)s accepted answers were forwarded to the analytical team.",
                len(sent),
            )
            % {"count": len(sent)},
        )
    return redirect("assessment:queue", slug=slug)


def _stage_confirmation(request: HttpRequest, reader: Reader, action: str) -> HttpResponse:
    slug = reader.review.slug
    common = {
        "action_url": reverse("assessment:stage", args=[slug]),
        "fields": {"action": action},
        "cancel_url": reverse("assessment:home", args=[slug]),
    }
    if action == "open_peer_review":
        count = selectors.forwarded_count(reader.review, Confidentiality.PEERS)
        return _confirm_page(
            request,
            reader,
            heading=_("Open peer review?"),
            explanation=[
                ngettext(
                    "Peer reviewers will read the %(count)s forwarded answer marked for peer "
                    "reviewers or the public, and every such answer forwarded later.",
                    "Peer reviewers will read the %(count)s forwarded answers marked for peer "
                    "reviewers or the public, and every such answer forwarded later.",
                    count,
                )
                % {"count": count}
            ],
            irreversible=_("This cannot be undone: peer review cannot be closed again."),
            confirm_label=_("Open peer review"),
            **common,
        )
    count = selectors.forwarded_count(reader.review, Confidentiality.PUBLIC)
    return _confirm_page(
        request,
        reader,
        heading=_("Publish the answers marked public?"),
        explanation=[
            ngettext(
                "Civil-society and business representatives will read the %(count)s "
                "forwarded answer marked public, and every such answer forwarded later.",
                "Civil-society and business representatives will read the %(count)s "
                "forwarded answers marked public, and every such answer forwarded later.",
                count,
            )
            % {"count": count}
        ],
        irreversible=_("This cannot be undone: published answers cannot be withdrawn."),
        confirm_label=_("Publish the answers marked public"),
        **common,
    )


@login_required
@require_http_methods(["GET", "POST"])
def stage(request: HttpRequest, slug: str) -> HttpResponse:
    """The analytical team opens peer review, or publishes the public answers,
    once confirmed."""
    reader = access.get_reader(request.user, slug)
    data = request.POST if request.method == "POST" else request.GET
    action = data.get("action", "")
    if action == "open_peer_review":
        if not reader.can(Perm.OPEN_PEER_REVIEW):
            raise PermissionDenied
        if reader.peer_review_open:
            messages.info(request, _("Peer review was already open."))
        elif not _confirmed(request):
            return _stage_confirmation(request, reader, action)
        else:
            services.peer_review_open(review=reader.review, by=request.user)
            messages.success(
                request,
                _(
                    "Peer review is open: peer reviewers now read the forwarded answers "
                    "meant for them."
                ),
            )
    elif action == "publish":
        if not reader.can(Perm.PUBLISH_ANSWERS):
            raise PermissionDenied
        if reader.published:
            messages.info(request, _("The public answers were already published."))
        elif not _confirmed(request):
            return _stage_confirmation(request, reader, action)
        else:
            services.answers_publish(review=reader.review, by=request.user)
            messages.success(
                request,
                _("The forwarded answers marked public are published."),
            )
    else:
        if not (reader.can(Perm.OPEN_PEER_REVIEW) or reader.can(Perm.PUBLISH_ANSWERS)):
            raise PermissionDenied
        messages.error(request, _("Unknown step: nothing was changed."))
    return redirect("assessment:home", slug=slug)


urlpatterns = [
    path("", home, name="home"),
    path("summary/", summary, name="summary"),
    path("mine/", mine, name="mine"),
    path("assign/", assign, name="assign"),
    path("assignments/<int:pk>/edit/", reassign, name="reassign"),
    path("queue/", queue, name="queue"),
    path("decide/", decide, name="decide"),
    path("forward/", forward, name="forward"),
    path("stage/", stage, name="stage"),
]

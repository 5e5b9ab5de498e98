"""The states of an area assessment, its comment thread, the analysis's
stage (opened to peers, published) and the scales a review uses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from parasat.analysis import access, selectors, services
from parasat.analysis.forms import CommentForm, ReasonForm, ScalesForm, ScalesUploadForm
from parasat.analysis.models import AssessmentComment, RatingScale
from parasat.analysis.views import page_context
from parasat.core.lib.forms import add_errors
from parasat.reviews.disclosure import Confidentiality
from parasat.reviews.permissions import Perm

STEPS = ("send", "return", "agree", "reopen")


@login_required
@require_POST
def state(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Send for team review, return to draft, agree, or reopen with a reason."""
    reader = access.get_reader(request.user, slug)
    area = access.get_area(code)
    assessment = access.get_assessment(reader, area)
    step = request.POST.get("step", "")
    allowed = {
        "send": reader.may_send,
        "return": reader.may_return,
        "agree": reader.may_agree,
        "reopen": reader.may_reopen,
    }
    if step not in allowed or assessment is None:
        raise Http404
    # The role decides whether the step is theirs at all; the state and the
    # four eyes whether it is possible now.
    role_allows = (
        reader.can(Perm.AGREE_ANALYSIS)
        if step == "agree"
        else (reader.can(Perm.AGREE_ANALYSIS) or reader.can(Perm.DRAFT_ANALYSIS))
    )
    if not role_allows:
        raise PermissionDenied
    if not allowed[step](assessment):
        messages.error(request, _refusal(step, reader, assessment))
        return redirect("analysis:area", slug=slug, code=code)
    form = ReasonForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    try:
        if step == "send":
            services.assessment_send_for_review(assessment=assessment, by=request.user)
            done = _("The assessment is sent for team review.")
        elif step == "return":
            services.assessment_return(assessment=assessment, by=request.user, reason=reason)
            done = _("The assessment is returned to draft.")
        elif step == "agree":
            services.assessment_agree(assessment=assessment, by=request.user)
            done = _("The assessment is agreed.")
        else:
            services.assessment_reopen(assessment=assessment, by=request.user, reason=reason)
            done = _("The assessment is reopened.")
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(reverse("analysis:area", args=[slug, code]) + "#state")
    messages.success(request, done)
    return redirect("analysis:area", slug=slug, code=code)


def _refusal(step: str, reader: access.AnalysisReader, assessment) -> str:
    if step == "agree" and assessment.sent_for_review_by_id == reader.user.pk:
        return _(
            "You sent this assessment for team review: another expert or analyst must agree it."
        )
    return _("This assessment is %(state)s: this step is not possible now.") % {
        "state": assessment.get_state_display().lower()
    }


@login_required
@require_POST
def comment(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.COMMENT_ANALYSIS)
    area = access.get_area(code)
    assessment = access.get_assessment(reader, area)
    if assessment is None:
        raise Http404
    form = CommentForm(request.POST)
    corrects = None
    if form.is_valid() and form.cleaned_data.get("corrects"):
        corrects = AssessmentComment.objects.filter(
            assessment=assessment, pk=form.cleaned_data["corrects"]
        ).first()
        if corrects is None:
            raise Http404
    try:
        services.comment_post(
            assessment=assessment,
            by=request.user,
            body=form.cleaned_data.get("body", "") if form.is_valid() else "",
            corrects=corrects,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Comment posted."))
    return redirect(reverse("analysis:area", args=[slug, code]) + "#comments")


def _confirmed(request: HttpRequest) -> bool:
    """The person confirmed on the confirmation page; anything else (a GET, a
    form sent from elsewhere) shows that page first and changes nothing."""
    return request.method == "POST" and request.POST.get("confirmed") == "yes"


def _stage_confirmation(
    request: HttpRequest, reader: access.AnalysisReader, step: str
) -> HttpResponse:
    """Ask before opening the analysis to peers or publishing it, saying how
    many agreed assessments it shows and what cannot be undone (the rule of the
    self-assessment's stages). A page, not a script's dialog."""
    if step == "open_to_peers":
        count = selectors.agreed_count(reader.review_id, Confidentiality.PEERS)
        heading = _("Open the agreed analysis to peer reviewers?")
        explanation = ngettext(
            "Peer reviewers will read the %(count)s agreed assessment marked for peer "
            "reviewers or the public, and every such assessment agreed later.",
            "Peer reviewers will read the %(count)s agreed assessments marked for peer "
            "reviewers or the public, and every such assessment agreed later.",
            count,
        ) % {"count": count}
        irreversible = _(
            "This cannot be undone: the analysis cannot be closed to peer reviewers again."
        )
        confirm_label = _("Open the agreed analysis to peer reviewers")
    else:
        count = selectors.agreed_count(reader.review_id, Confidentiality.PUBLIC)
        heading = _("Publish the agreed analysis marked public?")
        explanation = ngettext(
            "Civil-society and business representatives will read the %(count)s agreed "
            "assessment marked public, and every such assessment agreed later.",
            "Civil-society and business representatives will read the %(count)s agreed "
            "assessments marked public, and every such assessment agreed later.",
            count,
        ) % {"count": count}
        irreversible = _("This cannot be undone: the publication cannot be withdrawn.")
        confirm_label = _("Publish the agreed analysis marked public")
    return render(
        request,
        "core/confirm.html",
        page_context(
            reader,
            section_nav="analysis",
            section_name=_("Analysis"),
            heading=heading,
            explanation=[
                explanation,
                _(
                    "An assessment that is reopened leaves them until it is agreed again; "
                    "what they have read cannot be taken back."
                ),
            ],
            irreversible=irreversible,
            confirm_label=confirm_label,
            action_url=reverse("analysis:stage", args=[reader.review.slug]),
            fields={"step": step},
            cancel_url=reverse("analysis:overview", args=[reader.review.slug]),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def stage(request: HttpRequest, slug: str) -> HttpResponse:
    """Open the agreed analysis to the peer reviewers, or publish it, once
    confirmed: neither can be undone."""
    reader = access.get_reader(request.user, slug, perm=Perm.MANAGE_ANALYSIS)
    data = request.POST if request.method == "POST" else request.GET
    step = data.get("step", "")
    if step == "open_to_peers":
        if reader.peers_open:
            messages.info(request, _("The agreed analysis was already open to peer reviewers."))
        elif not _confirmed(request):
            return _stage_confirmation(request, reader, step)
        else:
            services.analysis_open_to_peers(review=reader.review, by=request.user)
            messages.success(
                request,
                _("Peer reviewers now read the agreed assessments marked for them or the public."),
            )
    elif step == "publish":
        if reader.published:
            messages.info(request, _("The agreed analysis marked public was already published."))
        elif not _confirmed(request):
            return _stage_confirmation(request, reader, step)
        else:
            services.analysis_publish(review=reader.review, by=request.user)
            messages.success(
                request,
                _("Civil society and business now read the agreed assessments marked public."),
            )
    else:
        messages.error(request, _("Unknown step: nothing was changed."))
    return redirect("analysis:overview", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def scales(request: HttpRequest, slug: str) -> HttpResponse:
    """The library of rating scales; the analysts choose those the review uses
    and may load more from a file."""
    reader = access.get_reader(request.user, slug)
    may_manage = reader.can(Perm.MANAGE_ANALYSIS)
    chosen = selectors.review_scales(reader.review_id)
    form = ScalesForm(initial={"scales": chosen})
    upload = ScalesUploadForm()
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        if request.POST.get("step") == "upload":
            upload = ScalesUploadForm(request.POST, request.FILES)
            if upload.is_valid():
                file = upload.cleaned_data["file"]
                try:
                    # Read no more than one byte past the bound: the service refuses it.
                    made = services.scales_load_file(file.read(services.scales.MAX_FILE + 1))
                except ValidationError as exc:
                    for message in exc.messages:
                        upload.add_error("file", message)
                else:
                    messages.success(
                        request,
                        _("Loaded: %(scales)s.") % {"scales": ", ".join(s.code for s in made)},
                    )
                    return redirect("analysis:scales", slug=slug)
        else:
            form = ScalesForm(request.POST)
            if form.is_valid():
                try:
                    services.review_scales_set(
                        review=reader.review,
                        scales=sorted(form.cleaned_data["scales"], key=lambda s: (s.order, s.code)),
                        by=request.user,
                    )
                except ValidationError as exc:
                    add_errors(form, exc)
                else:
                    messages.success(request, _("The review's scales are saved."))
                    return redirect("analysis:scales", slug=slug)
    library = RatingScale.objects.prefetch_related("levels")
    return render(
        request,
        "analysis/scales.html",
        page_context(
            reader,
            form=form,
            upload=upload,
            library=library,
            chosen={s.pk for s in chosen},
            may_manage=may_manage,
        ),
        status=400 if form.errors or upload.errors else 200,
    )


urlpatterns = [
    path("scales/", scales, name="scales"),
    path("stage/", stage, name="stage"),
    path("<str:code>/state/", state, name="state"),
    path("<str:code>/comments/", comment, name="comment"),
]

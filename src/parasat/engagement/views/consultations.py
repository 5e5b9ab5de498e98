"""Consultations: the list, opening one, contributing (signed in or as the
public after confirming an address), the matrix, responses, moderation,
closing, the published summary and the export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parasat.core.lib.forms import add_errors, parse_pk
from parasat.engagement import access, calendars
from parasat.engagement import jobs as engagement_jobs
from parasat.engagement import selectors_consultations as selectors
from parasat.engagement.forms import (
    ConsultationForm,
    ContributionForm,
    HideForm,
    PublicEmailForm,
    ResponseForm,
)
from parasat.engagement.models import Consultation, Contribution, Response
from parasat.engagement.services import consultations as services
from parasat.engagement.views import page_context
from parasat.jobs.services import job_start
from parasat.reviews.disclosure import Audience, Confidentiality
from parasat.reviews.permissions import Perm


def _client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


@login_required
@require_GET
def consultation_list(request: HttpRequest, slug: str) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.VIEW_CONSULTATIONS)
    consultations = list(Consultation.objects.filter(review=reader.review))
    now = timezone.now()
    for c in consultations:
        c.open_now = services.is_open(c, now)
    return render(
        request,
        "engagement/consultations.html",
        page_context(reader, consultations=consultations),
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_new(request: HttpRequest, slug: str) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.RUN_CONSULTATIONS)
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = services.consultation_open(
                review=reader.review,
                by=request.user,
                title=form.texts()["title"],
                description=form.texts()["description"],
                subject_kind=data["subject_kind"],
                subject_ref=data["subject_ref"],
                channels=data["channels"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The consultation is opened."))
            return redirect("engagement:consultation", slug, consultation.pk)
    return render(
        request,
        "engagement/consultation_form.html",
        page_context(reader, form=form),
        status=400 if form.errors else 200,
    )


def _detail(
    request: HttpRequest,
    reader: access.EngagementReader,
    consultation: Consultation,
    *,
    form: ContributionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    channel = access.contributor_channel(reader)
    team = access.reads_contributions(reader)
    mine = (
        list(
            Contribution.objects.filter(consultation=consultation, author=request.user)
            .select_related(
                "response__finding",
                "response__recommendation",
                "response__change__assessment__area",
            )
            .order_by("number")
        )
        if channel
        else []
    )
    open_now = services.is_open(consultation)
    return render(
        request,
        "engagement/consultation.html",
        page_context(
            reader,
            consultation=consultation,
            open_now=open_now,
            channel=channel,
            may_contribute=bool(channel and open_now and channel in consultation.channels),
            form=form or ContributionForm(),
            mine=mine,
            team=team,
            runs=reader.can(Perm.RUN_CONSULTATIONS),
            summary=selectors.summary(consultation)
            if team or consultation.summary_published_at
            else None,
            kinds=Response.Kind.choices,
            # The team reads them all on the matrix.
            published=None
            if team
            else selectors.published_contributions(
                consultation, reader.audience, request.GET.get("page")
            ),
            names=access.reads_withheld_names(reader),
        ),
        status=status,
    )


@login_required
@require_GET
def consultation_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.VIEW_CONSULTATIONS)
    return _detail(request, reader, access.get_consultation(reader, pk))


@login_required
@require_POST
def contribute(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A civil-society or business representative contributes, signed in."""
    reader = access.get_reader(request.user, slug, perm=Perm.CONTRIBUTE)
    consultation = access.get_consultation(reader, pk)
    channel = access.contributor_channel(reader)
    if channel is None:
        raise PermissionDenied
    form = ContributionForm(request.POST, request.FILES)
    if form.is_valid():
        user = request.user
        try:
            services.contribution_submit(
                consultation=consultation,
                contributor=services.Contributor(
                    channel=channel,
                    name=user.display_name,
                    user=user,
                    email=user.email,
                    organisation=str(form.cleaned_data.get("organisation") or ""),
                ),
                text=form.cleaned_data["text"],
                anonymous=form.cleaned_data["anonymous"],
                confidentiality=form.cleaned_data["confidentiality"] or Confidentiality.TEAM,
                attachments=request.FILES.getlist("attachments"),
                sender=services.sender_key(_client_address(request)),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Thank you: your contribution is received."))
            return redirect("engagement:consultation", slug, consultation.pk)
    return _detail(request, reader, consultation, form=form, status=400)


@login_required
@require_GET
def matrix(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The comment → response → change matrix, page by page."""
    reader = access.get_reader(request.user, slug, perm=Perm.VIEW_CONTRIBUTIONS)
    consultation = access.get_consultation(reader, pk)
    page = selectors.matrix_page(consultation, request.GET.get("page"))
    return render(
        request,
        "engagement/matrix.html",
        page_context(
            reader,
            consultation=consultation,
            page=page,
            runs=reader.can(Perm.RUN_CONSULTATIONS),
            names=access.reads_withheld_names(reader),
        ),
    )


@login_required
@require_POST
def matrix_export(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.VIEW_CONTRIBUTIONS)
    consultation = access.get_consultation(reader, pk)
    fmt = request.POST.get("format", "xlsx")
    if fmt not in {"xlsx", "csv"}:
        raise Http404
    job = job_start(
        kind=engagement_jobs.MATRIX_EXPORT,
        by=request.user,
        review=reader.review,
        params={"consultation": consultation.pk, "format": fmt},
    )
    return redirect("jobs:detail", pk=job.pk)


def _contribution_page(
    request: HttpRequest,
    reader: access.EngagementReader,
    contribution: Contribution,
    *,
    response_form: ResponseForm | None = None,
    hide_form: HideForm | None = None,
    status: int = 200,
) -> HttpResponse:
    existing = (
        Response.objects.filter(contribution=contribution)
        .select_related(
            "finding__assessment__area",
            "recommendation__assessment__area",
            "change__assessment__area",
        )
        .first()
    )
    return render(
        request,
        "engagement/contribution.html",
        page_context(
            reader,
            consultation=contribution.consultation,
            contribution=contribution,
            name=access.shown_name(reader, contribution),
            response=existing,
            runs=reader.can(Perm.RUN_CONSULTATIONS),
            response_form=response_form or ResponseForm(review=reader.review, response=existing),
            hide_form=hide_form or HideForm(prefix="hide"),
        ),
        status=status,
    )


@login_required
@require_GET
def contribution_detail(request: HttpRequest, slug: str, pk: int, number: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.VIEW_CONTRIBUTIONS)
    contribution = access.get_contribution(access.get_consultation(reader, pk), number)
    return _contribution_page(request, reader, contribution)


@login_required
@require_POST
def respond(request: HttpRequest, slug: str, pk: int, number: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.RUN_CONSULTATIONS)
    contribution = access.get_contribution(access.get_consultation(reader, pk), number)
    # The stored reason, so that the edit marks the translations it leaves
    # behind a changed English text.
    existing = Response.objects.filter(contribution=contribution).first()
    form = ResponseForm(request.POST, review=reader.review, response=existing)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.response_save(
                contribution=contribution,
                by=request.user,
                kind=data["kind"],
                reason=form.reason_text(),
                finding_id=data["finding"],
                recommendation_id=data["recommendation"],
                change_id=data["change"],
                confidentiality=data["confidentiality"] or Confidentiality.PUBLIC,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The response is saved."))
            return redirect("engagement:matrix", slug, pk)
    return _contribution_page(request, reader, contribution, response_form=form, status=400)


@login_required
@require_POST
def hide(request: HttpRequest, slug: str, pk: int, number: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.RUN_CONSULTATIONS)
    contribution = access.get_contribution(access.get_consultation(reader, pk), number)
    form = HideForm(request.POST, prefix="hide")
    if form.is_valid():
        try:
            services.contribution_hide(
                contribution=contribution, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The contribution is hidden; it is kept."))
            return redirect("engagement:matrix", slug, pk)
    return _contribution_page(request, reader, contribution, hide_form=form, status=400)


@login_required
@require_GET
def attachment(request: HttpRequest, slug: str, pk: int, number: int, item: int) -> FileResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.VIEW_CONSULTATIONS)
    contribution = access.get_contribution(access.get_consultation(reader, pk), number)
    if not (access.reads_contributions(reader) or contribution.author_id == request.user.pk):
        raise Http404
    found = contribution.attachments.filter(pk=parse_pk(item) or 0).first()
    if found is None:
        raise Http404
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=found.file_name, content_type=found.content_type
    )


@login_required
@require_POST
def close(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.RUN_CONSULTATIONS)
    consultation = access.get_consultation(reader, pk)
    try:
        services.consultation_close(consultation=consultation, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The consultation is closed."))
    return redirect("engagement:consultation", slug, consultation.pk)


@login_required
@require_POST
def publish_summary(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.RUN_CONSULTATIONS)
    consultation = access.get_consultation(reader, pk)
    try:
        services.summary_publish(consultation=consultation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The summary is published."))
    return redirect("engagement:consultation", slug, consultation.pk)


# --- The public -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def public_consultation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The consultation as the public sees it; an address to confirm, to contribute."""
    consultation = access.get_public_consultation(slug, pk)
    form = PublicEmailForm(request.POST or None)
    sent = False
    if request.method == "POST" and form.is_valid():
        try:
            services.check_confirmation_rate(
                email=form.cleaned_data["email"],
                sender=services.sender_key(_client_address(request)),
            )
            token = services.confirmation_token(
                consultation=consultation, email=form.cleaned_data["email"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            link = calendars.site_url(
                reverse("engagement:public_contribute", args=[slug, consultation.pk, token])
            )
            text = render_to_string(
                "engagement/email/confirm.txt", {"consultation": consultation, "link": link}
            )
            subject, _sep, body = text.strip().partition("\n")
            address = form.cleaned_data["email"]
            transaction.on_commit(
                lambda: send_mail(subject.strip(), body.strip() + "\n", None, [address])
            )
            sent = True
    return render(
        request,
        "engagement/public_consultation.html",
        {
            "consultation": consultation,
            "review": consultation.review,
            "form": form,
            "sent": sent,
            "open_now": services.is_open(consultation),
            "summary": selectors.summary(consultation)
            if consultation.summary_published_at
            else None,
            "kinds": Response.Kind.choices,
            "published": selectors.published_contributions(
                consultation, Audience.public(consultation.review_id), request.GET.get("page")
            ),
            "language": get_language(),
        },
    )


@require_http_methods(["GET", "POST"])
def public_contribute(request: HttpRequest, slug: str, pk: int, token: str) -> HttpResponse:
    """A member of the public contributes from the link that confirmed their address."""
    consultation = access.get_public_consultation(slug, pk)
    try:
        email = services.confirmed_email(consultation=consultation, token=token)
    except ValidationError as exc:
        return render(
            request,
            "engagement/public_contribute.html",
            {"consultation": consultation, "review": consultation.review, "error": exc.messages[0]},
            status=400,
        )
    form = ContributionForm(request.POST or None, request.FILES or None, public=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_submit(
                consultation=consultation,
                contributor=services.Contributor(
                    channel="public",
                    name=form.cleaned_data["name"],
                    email=email,
                    organisation=form.cleaned_data["organisation"],
                ),
                text=form.cleaned_data["text"],
                anonymous=form.cleaned_data["anonymous"],
                confidentiality=form.cleaned_data["confidentiality"] or Confidentiality.TEAM,
                attachments=request.FILES.getlist("attachments"),
                sender=services.sender_key(_client_address(request)),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return render(
                request,
                "engagement/public_contribute.html",
                {"consultation": consultation, "review": consultation.review, "done": True},
            )
    return render(
        request,
        "engagement/public_contribute.html",
        {
            "consultation": consultation,
            "review": consultation.review,
            "form": form,
            "email": email,
            "open_now": services.is_open(consultation),
        },
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("", consultation_list, name="consultations"),
    path("new/", consultation_new, name="consultation_new"),
    path("<int:pk>/", consultation_detail, name="consultation"),
    path("<int:pk>/contribute/", contribute, name="contribute"),
    path("<int:pk>/matrix/", matrix, name="matrix"),
    path("<int:pk>/matrix/export/", matrix_export, name="matrix_export"),
    path("<int:pk>/contributions/<int:number>/", contribution_detail, name="contribution"),
    path("<int:pk>/contributions/<int:number>/respond/", respond, name="respond"),
    path("<int:pk>/contributions/<int:number>/hide/", hide, name="hide"),
    path("<int:pk>/contributions/<int:number>/files/<int:item>/", attachment, name="attachment"),
    path("<int:pk>/close/", close, name="consultation_close"),
    path("<int:pk>/publish-summary/", publish_summary, name="summary_publish"),
    path("<int:pk>/public/", public_consultation, name="public_consultation"),
    path("<int:pk>/public/<str:token>/", public_contribute, name="public_contribute"),
]

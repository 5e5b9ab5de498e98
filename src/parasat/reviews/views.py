from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from parasat.core.fields import LANGUAGE_NAMES
from parasat.core.lib.forms import add_errors
from parasat.core.lib.pagecache import cached_page, reader_key
from parasat.core.lib.translated import SOURCE_LANGUAGE, TranslatedText, content_languages
from parasat.core.selectors import translation_gaps
from parasat.reviews import selectors, services
from parasat.reviews.access import (
    get_review_for_user,
    reviews_allowing,
    reviews_for_user,
    user_has_role_anywhere,
)
from parasat.reviews.caching import reviews_version
from parasat.reviews.forms import (
    AmendmentForm,
    DeliveriesForm,
    LetterForm,
    ParticipantForm,
    SignatureDateForm,
)
from parasat.reviews.models import Amendment, Letter, Participant, Review, Role, Signature
from parasat.reviews.permissions import Perm


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        reviews = reviews_for_user(request.user)
        # Each app may put the reader's own work on the landing page with a
        # ``home_section(request, reviews)`` method on its AppConfig (the
        # self-assessment shows a contact person what is due and returned).
        sections = [
            html
            for config in apps.get_app_configs()
            if (hook := getattr(config, "home_section", None)) is not None
            and (html := hook(request, reviews))
        ]
        return render(
            request, "reviews/my_reviews.html", {"reviews": reviews, "sections": sections}
        )
    public = Review.objects.filter(is_public=True).select_related("responsible_body")
    return render(request, "reviews/welcome.html", {"reviews": list(public)})


def overview(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_review_for_user(request.user, slug, perm=Perm.VIEW)
    review = access.review
    today = timezone.localdate()

    def render_page() -> HttpResponse:
        data = selectors.review_overview(
            review, today=today, with_letters=access.can(Perm.VIEW_CORRESPONDENCE)
        )
        return render(
            request,
            "reviews/overview.html",
            {"access": access, "review": review, "o": data, "roles": Role},
        )

    # The page changes only with the reviews' data (version token), the day, the
    # language, the reader and what they may do.
    key = ":".join(
        [
            "overview",
            reviews_version(),
            slug,
            today.isoformat(),
            get_language(),
            reader_key(request),
            "".join("1" if allowed else "0" for allowed in access.perms.values()),
            request.get_full_path(),
        ]
    )
    return cached_page(request, key, render_page)


@login_required
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_review_for_user(request.user, slug, perm=Perm.VIEW_PEOPLE)
    review = access.review
    appointable = services.roles_appointable_by(access.roles, is_admin=access.is_admin)
    can_manage = access.can(Perm.MANAGE_PEOPLE) and bool(appointable)
    form = ParticipantForm(roles=appointable) if can_manage else None
    if request.method == "POST":
        access = get_review_for_user(request.user, slug, perm=Perm.MANAGE_PEOPLE)
        if "remove" in request.POST:
            participant = get_object_or_404(
                Participant, pk=request.POST.get("remove"), review=review, active=True
            )
            if participant.role not in appointable:
                raise PermissionDenied
            services.participant_deactivate(participant=participant)
            messages.success(
                request,
                _("%(name)s no longer takes part in that role.") % {"name": participant.user},
            )
            return redirect("reviews:people", slug=slug)
        form = ParticipantForm(request.POST, roles=appointable)
        if form.is_valid():
            try:
                services.participant_add(review=review, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The person was added to the review."))
                return redirect("reviews:people", slug=slug)
    participants = selectors.review_people(review)
    groups: dict[str, list] = {}
    for p in participants:
        groups.setdefault(p.role, []).append(p)
    ordered = [(role, groups[role.value]) for role in Role if role.value in groups]
    return render(
        request,
        "reviews/people.html",
        {
            "access": access,
            "review": review,
            "groups": ordered,
            "form": form,
            "appointable": [r.value for r in appointable] if can_manage else [],
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def correspondence(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_review_for_user(request.user, slug, perm=Perm.VIEW_CORRESPONDENCE)
    review = access.review
    form = LetterForm()
    if request.method == "POST":
        access = get_review_for_user(request.user, slug, perm=Perm.EDIT_AGREEMENT)
        form = LetterForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.letter_register(review=review, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The letter was added to the register."))
                return redirect("reviews:correspondence", slug=slug)
    letters = Letter.objects.filter(review=review).select_related("registered_by")
    parties = selectors.parties_with_signatures(review)
    return render(
        request,
        "reviews/correspondence.html",
        {"access": access, "review": review, "letters": letters, "form": form, "parties": parties},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def amendments(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_review_for_user(request.user, slug, perm=Perm.VIEW_AMENDMENTS)
    review = access.review
    form = AmendmentForm()
    if request.method == "POST":
        access = get_review_for_user(request.user, slug, perm=Perm.EDIT_AGREEMENT)
        form = AmendmentForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.amendment_add(
                    review=review,
                    number=data["number"],
                    signed_on=data["signed_on"],
                    summary=TranslatedText().updated(data["summary"]["texts"]),
                    attachment=data.get("attachment"),
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The amendment was recorded."))
                return redirect("reviews:amendments", slug=slug)
    return render(
        request,
        "reviews/amendments.html",
        {
            "access": access,
            "review": review,
            "amendments": Amendment.objects.filter(review=review),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def signature_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_review_for_user(request.user, slug, perm=Perm.EDIT_AGREEMENT)
    signature = get_object_or_404(
        Signature.objects.select_related("party__organisation"), pk=pk, party__review=access.review
    )
    form = SignatureDateForm(request.POST or None, initial={"signed_on": signature.signed_on})
    if request.method == "POST" and form.is_valid():
        services.signature_set_date(signature=signature, signed_on=form.cleaned_data["signed_on"])
        messages.success(request, _("The date of signature was saved."))
        return redirect("reviews:overview", slug=slug)
    return render(
        request,
        "reviews/signature_edit.html",
        {"access": access, "review": access.review, "signature": signature, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def deliveries(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_review_for_user(request.user, slug, perm=Perm.EDIT_AGREEMENT)
    review = access.review
    initial = {
        "completed_on": review.completed_on,
        "report_delivered_on": review.report_delivered_on,
        "financial_report_delivered_on": review.financial_report_delivered_on,
    }
    form = DeliveriesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_record_deliveries(review=review, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The dates were saved."))
            return redirect("reviews:overview", slug=slug)
    return render(
        request,
        "reviews/deliveries.html",
        {"access": access, "review": review, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def attachment(request: HttpRequest, slug: str, kind: str, pk: int) -> FileResponse:
    perm = Perm.VIEW_CORRESPONDENCE if kind == "letter" else Perm.VIEW_AMENDMENTS
    access = get_review_for_user(request.user, slug, perm=perm)
    model = {"letter": Letter, "amendment": Amendment}.get(kind)
    if model is None:
        raise Http404
    obj = get_object_or_404(model, pk=pk, review=access.review)
    if not obj.attachment:
        raise Http404
    try:
        handle = obj.attachment.open("rb")
    except FileNotFoundError:  # gone from the storage: not a server error
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=obj.attachment_name or None)


@login_required
def translations(request: HttpRequest) -> HttpResponse:
    """What is missing or out of date in each language: of the shared content
    (the toolkit, organisations) and of the reviews in which the reader holds
    Perm.VIEW_TRANSLATIONS, each text only if the reader may read it there
    (staff: everything)."""
    user = request.user
    if not (user.is_staff or user_has_role_anywhere(user, Perm.VIEW_TRANSLATIONS)):
        raise PermissionDenied

    def readable(perm: str) -> list[int]:
        return reviews_allowing(user, Perm.VIEW_TRANSLATIONS, perm) or []

    languages = [lang for lang in content_languages() if lang != SOURCE_LANGUAGE]
    language = request.GET.get("language", languages[-1])
    if language not in languages:
        language = languages[-1]
    gaps, totals = translation_gaps(language, readable=None if user.is_staff else readable)
    status = request.GET.get("status", "")
    if status in {"missing", "stale"}:
        gaps = [g for g in gaps if g.status == status]
    return render(
        request,
        "core/translations.html",
        {
            "languages": [(lang, LANGUAGE_NAMES[lang]) for lang in languages],
            "language": language,
            "gaps": gaps[:500],
            "shown_all": len(gaps) <= 500,
            "totals": totals,
            "status": status,
        },
    )

from contextlib import suppress

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from parasat.accounts import selectors, services
from parasat.accounts.access import get_api_token_for_user
from parasat.accounts.forms import ApiTokenForm
from parasat.core.lib.forms import add_errors


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (cookie and redirect); a signed-in person's
    choice is also kept on their account, so that emails reach them in it."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "") if request.method == "POST" else ""
    if request.user.is_authenticated and language:
        # A language that is not the site's was ignored by Django's view too.
        with suppress(ValidationError):
            services.user_language_set(user=request.user, language=language)  # type: ignore[arg-type]
    return response


class SignInView(LoginView):
    """Django's sign-in, which also brings the language the person chose on
    their account to the browser they sign in from."""

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        language = form.get_user().language
        if language in {code for code, _name in settings.LANGUAGES}:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The person's API tokens; a new one is shown on the page that made it,
    once (never cached: see never_cache)."""
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.api_token_create(user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            form = ApiTokenForm()
    status = 400 if form.errors else 200
    if request.headers.get("HX-Request") and form.errors:
        status = 200  # htmx swaps in only a 2xx answer, and the errors must show
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "issued": issued,
            "tokens": list(selectors.api_tokens_of(request.user)),  # type: ignore[arg-type]
            "now": timezone.now(),
        },
        status=status,
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_api_token_for_user(request.user, pk)
    if services.api_token_revoke(token=token):
        messages.success(
            request,
            _("The token “%(name)s” was revoked: programs using it are now refused.")
            % {"name": token.name},
        )
    return redirect("accounts:api_tokens")

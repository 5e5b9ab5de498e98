from contextlib import suppress

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.views import i18n

from parasat.accounts import services


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

from contextlib import suppress

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

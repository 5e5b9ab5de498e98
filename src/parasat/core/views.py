from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from parasat.core.fields import LANGUAGE_NAMES
from parasat.core.lib.translated import SOURCE_LANGUAGE, content_languages
from parasat.core.selectors import translation_gaps
from parasat.reviews.access import user_has_role_anywhere
from parasat.reviews.permissions import Perm


@login_required
def translations(request: HttpRequest) -> HttpResponse:
    """What is missing or out of date in each language."""
    if not (request.user.is_staff or user_has_role_anywhere(request.user, Perm.VIEW_TRANSLATIONS)):
        raise PermissionDenied
    languages = [lang for lang in content_languages() if lang != SOURCE_LANGUAGE]
    language = request.GET.get("language", languages[-1])
    if language not in languages:
        language = languages[-1]
    gaps, totals = translation_gaps(language)
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


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def ping(request: HttpRequest) -> HttpResponse:
    """The benchmark's ceiling: the same middleware, no template, no query."""
    return HttpResponse("pong", content_type="text/plain")

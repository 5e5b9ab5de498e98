"""Middleware of the whole site."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict

NUL = "\x00"


def _without_nul(data: QueryDict) -> QueryDict:
    clean = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        clean.setlist(key.replace(NUL, ""), [v.replace(NUL, "") for v in values])
    clean._mutable = False
    return clean


def _has_nul(data: QueryDict) -> bool:
    return any(NUL in key or any(NUL in v for v in values) for key, values in data.lists())


class StripNulMiddleware:
    """Remove NUL characters from every submitted name and value (query
    string and form fields). PostgreSQL refuses them in text and JSON, where
    SQLite stores them; nobody types one, so nothing is lost. Django's own form
    fields refuse them, but answers, comments and evidence are read from the
    request directly. Uploaded files' names are cleaned by Django; text read
    from imported files is cleaned where it is read (values.normalise)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "%00" in request.META.get("QUERY_STRING", "") and _has_nul(request.GET):
            request.GET = _without_nul(request.GET)
        if request.method == "POST" and _has_nul(request.POST):
            request.POST = _without_nul(request.POST)
        return self.get_response(request)

"""Whole pages cached per reader, with the per-request parts punched back in.

A page such as a review's overview is the same for one reader until the data
behind it changes; rendering Django templates is most of its cost. The page is
cached under a key the caller builds from everything it depends on (a data
version, the day, the language, the reader, the path); on a hit only the CSRF
token and the CSP nonce — the two values that must be fresh on every response —
are replaced. Pages with a pending flash message are never cached."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token

CSRF_HOLE = "\x00csrf-token\x00"
NONCE_HOLE = "\x00csp-nonce\x00"
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def reader_key(request: HttpRequest) -> str:
    """What of the reader a page shows: who they are, as the header shows them."""
    user = request.user
    if not user.is_authenticated:
        return "anonymous"
    shown = f"{user.pk}:{user.display_name}:{user.is_staff}:{user.is_demo}"
    return hashlib.sha256(shown.encode()).hexdigest()[:20]


def _has_pending_messages(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    return "messages" in request.COOKIES or bool(session is not None and "_messages" in session)


# Pages also kept in the process (``memo=True``), for keys that name every
# token their page depends on: such a key is never stale, only unused. Bounded:
# emptied when full.
_MEMO: dict[str, tuple[str, str]] = {}
MEMO_ENTRIES = 256


def _remember(key: str, value: tuple[str, str]) -> None:
    if len(_MEMO) >= MEMO_ENTRIES:
        _MEMO.clear()
    _MEMO[key] = value


def cached_page(
    request: HttpRequest,
    key: str,
    render: Callable[[], HttpResponse],
    timeout: int = 300,
    *,
    memo: bool = False,
    shared: bool = True,
) -> HttpResponse:
    """The page kept under ``key``, or ``render()`` kept: in the shared cache
    for ``timeout`` seconds, and in the process too with ``memo``; with
    ``shared=False`` (and ``memo``) in the process alone, for pages whose key
    changes too often for a file written per page to pay (the answer form)."""
    if request.method != "GET" or _has_pending_messages(request):
        return render()
    shared = shared or not memo
    key = f"page:{hashlib.sha256(key.encode()).hexdigest()}"
    hit = _MEMO.get(key) if memo else None
    if hit is None and shared:
        hit = cache.get(key)
        if hit is not None and memo:
            _remember(key, hit)
    if hit is not None:
        content_type, html = hit
        html = html.replace(CSRF_HOLE, get_token(request))
        nonce = get_nonce(request)
        if nonce is not None:
            html = html.replace(NONCE_HOLE, str(nonce))
        return HttpResponse(html, content_type=content_type)
    response = render()
    if response.status_code == 200 and not response.streaming:
        html = response.content.decode(response.charset)
        html = _CSRF_INPUT.sub(lambda m: m.group(1) + CSRF_HOLE + m.group(2), html)
        nonce = get_nonce(request)
        if nonce is not None and str(nonce) in html:
            html = html.replace(str(nonce), NONCE_HOLE)
        if shared:
            cache.set(key, (response["Content-Type"], html), timeout)
        if memo:
            _remember(key, (response["Content-Type"], html))
    return response

"""One request at a time in the browser tests' live server.

With SQLite in memory, the live server's threads share the test's single
database connection; two requests at once (a page and an automatic save, say)
would use it together and fail with "database table is locked". This
middleware, added only by the test settings, lets them in one by one."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

_lock = threading.Lock()


class SerialRequestsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with _lock:
            response = self.get_response(request)
            # A streamed file is read after the view returns: read it here, inside the lock.
            if getattr(response, "streaming", False):
                response.streaming_content = [b"".join(response.streaming_content)]
            return response

"""What every PDF of the project shares: WeasyPrint fetching nothing from the network."""

from __future__ import annotations

import ssl
from typing import Any


def offline_fetcher(*protocols: str) -> Any:  # -> weasyprint.urls.URLFetcher
    """A WeasyPrint URL fetcher that reads only ``protocols`` ("data", "file"):
    a PDF is built from what is on the server, never from the network. It is
    given a bare TLS context, never used: without one, WeasyPrint makes the
    default context, which reads the system's certificates (some 20 ms, a
    seventh of laying out the financial report)."""
    # WeasyPrint takes seconds to import: loaded when a PDF is asked for.
    from weasyprint.urls import URLFetcher

    return URLFetcher(
        allowed_protocols=set(protocols), ssl_context=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    )

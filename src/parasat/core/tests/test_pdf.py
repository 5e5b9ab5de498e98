"""The PDFs' fetcher: local content only, and no certificates read for it."""

import ssl

import pytest

from parasat.core.lib.pdf import offline_fetcher


@pytest.mark.parametrize("protocols", [("data",), ("file", "data")])
def test_a_pdf_is_laid_out_without_reading_the_certificates(monkeypatch, protocols):
    """The fetcher of a PDF fetches local content only: it never needs, so never
    makes, the default TLS context (reading the system's certificates took a
    seventh of the financial report's time)."""
    import weasyprint.urls  # noqa: F401 (its import makes default fetchers of its own)

    made: list[object] = []
    default = ssl._create_default_https_context
    monkeypatch.setattr(ssl, "_create_default_https_context", lambda: made.append(1) or default())
    fetcher = offline_fetcher(*protocols)
    assert made == []
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher.fetch("https://example.org/logo.png")
    assert fetcher.fetch("data:text/plain,kept").read() == b"kept"

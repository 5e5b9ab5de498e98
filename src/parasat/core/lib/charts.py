"""Charts as SVG drawn on the server from a Vega-Lite specification, with
vl-convert (Vega's own renderer in an embedded JavaScript engine: no browser).

The same SVG goes into a page (inline, so the page's fonts apply and the
Content Security Policy has nothing to refuse: the output carries no script
and no style attribute) and into a PDF (WeasyPrint draws SVG as vectors).
Drawing one takes a tenth of a second or more, so each is kept in the shared
cache under a digest of its specification: the same data draws once."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from django.core.cache import cache

# A week: the key is the specification itself, so an entry is never stale.
CACHE_SECONDS = 7 * 24 * 3600
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>\s*")


def spec_key(spec: dict[str, Any]) -> str:
    """A digest of ``spec`` as JSON with sorted keys: equal specifications, equal keys."""
    text = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def svg_key(spec: dict[str, Any]) -> str:
    """The cache key of ``spec``'s drawing."""
    return f"charts:svg:{spec_key(spec)}"


def drawn_svgs(specs: list[dict[str, Any]]) -> dict[str, str]:
    """Of ``specs``, those drawn before: their SVG by :func:`spec_key`, read
    from the cache at once (nothing is drawn)."""
    keys = {svg_key(spec): spec_key(spec) for spec in specs}
    return {keys[k]: svg for k, svg in cache.get_many(list(keys)).items()}


def vegalite_svg(spec: dict[str, Any], *, use_cache: bool = True) -> str:
    """The chart ``spec`` (a Vega-Lite specification with its data inline) as an
    SVG document, without an XML declaration so it can sit inside HTML.

    Raises ValueError when vl-convert refuses the specification."""
    key = svg_key(spec)
    if use_cache:
        found = cache.get(key)
        if found is not None:
            return found
    # Imported when a chart is first drawn, not by every server process at start.
    import vl_convert

    try:
        svg = vl_convert.vegalite_to_svg(spec)
    except Exception as exc:  # vl-convert raises plain Exceptions for bad specifications
        raise ValueError(f"The chart could not be drawn: {exc}") from exc
    svg = _XML_DECLARATION.sub("", svg)
    if use_cache:
        cache.set(key, svg, CACHE_SECONDS)
    return svg

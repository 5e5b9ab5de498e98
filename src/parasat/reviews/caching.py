"""One version token for everything cached about reviews (access decisions,
rendered page parts). Any change to a review or to who takes part in it makes a
new token, so every cached entry keyed by the old one is simply never read again.

The token lives in the shared cache, so every server process sees a change at once."""

import uuid

from django.core.cache import cache

_VERSION_KEY = "reviews:version"


def reviews_version() -> str:
    version = cache.get(_VERSION_KEY)
    if version is None:
        cache.add(_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(_VERSION_KEY) or "none"
    return version


def reviews_changed() -> None:
    cache.set(_VERSION_KEY, uuid.uuid4().hex, None)

"""One version token for everything cached about reviews (access decisions,
rendered page parts). Any change to a review or to who takes part in it makes a
new token, so every cached entry keyed by the old one is simply never read again.

The token lives in the shared cache, so every server process sees a change at once.
Models whose rows decide what is cached (a review, who takes part in it, how far
its self-assessment has come) inherit :class:`ChangesReviews`; a change made
with ``QuerySet.update()`` or ``delete()`` must call :func:`reviews_changed` itself."""

import uuid
from typing import Any

from django.core.cache import cache
from django.db import models, transaction

_VERSION_KEY = "reviews:version"


def reviews_version() -> str:
    version = cache.get(_VERSION_KEY)
    if version is None:
        cache.add(_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(_VERSION_KEY) or "none"
    return version


def _new_token() -> None:
    cache.set(_VERSION_KEY, uuid.uuid4().hex, None)


def reviews_changed() -> None:
    """A new token now, and again when the transaction commits: a request that
    read the old rows while the change was not yet committed may have cached
    them under the token made now."""
    _new_token()
    transaction.on_commit(_new_token)


class ChangesReviews(models.Model):
    """Saving or deleting a row makes a new token."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        reviews_changed()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        result = super().delete(*args, **kwargs)
        reviews_changed()
        return result

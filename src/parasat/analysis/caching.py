"""A version token per review for everything cached about its analysis (whole
pages per reader): every write of the analysis makes a new one, so entries
keyed by the old token are never read again. Like the reviews' own token
(:mod:`parasat.reviews.caching`), it lives in the shared cache so every server
process sees a change at once, and it changes again when the transaction
commits (a request may have cached the old rows under the token made first)."""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction


def _key(review_id: int) -> str:
    return f"analysis:version:{review_id}"


def analysis_version(review_id: int) -> str:
    version = cache.get(_key(review_id))
    if version is None:
        cache.add(_key(review_id), uuid.uuid4().hex, None)
        version = cache.get(_key(review_id)) or "none"
    return version


def _new_token(review_id: int) -> None:
    cache.set(_key(review_id), uuid.uuid4().hex, None)


def analysis_changed(review_id: int) -> None:
    _new_token(review_id)
    transaction.on_commit(lambda: _new_token(review_id))

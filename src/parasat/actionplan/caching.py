"""A version token per review for everything cached about its action plan (the
public tracker's pages): every write of the plan and every accepted report
makes a new one, so pages keyed by the old token are never read again. Like
the analysis's token it lives in the shared cache and changes again when the
transaction commits."""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction


def _key(review_id: int) -> str:
    return f"actionplan:version:{review_id}"


def plan_version(review_id: int) -> str:
    version = cache.get(_key(review_id))
    if version is None:
        cache.add(_key(review_id), uuid.uuid4().hex, None)
        version = cache.get(_key(review_id)) or "none"
    return version


def _new_token(review_id: int) -> None:
    cache.set(_key(review_id), uuid.uuid4().hex, None)


def plan_changed(review_id: int) -> None:
    _new_token(review_id)
    transaction.on_commit(lambda: _new_token(review_id))

"""A version token per review's report, as the analysis keeps one: every
cached page of the report (the read edition above all) is keyed by it, so
publishing — or any change — makes the old pages unreachable at once, in
every server process; it changes again when the transaction commits (a
request may have cached the old rows under the token made first)."""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction


def _key(review_id: int) -> str:
    return f"reports:version:{review_id}"


def report_token(review_id: int) -> str:
    token = cache.get(_key(review_id))
    if token is None:
        cache.add(_key(review_id), uuid.uuid4().hex, None)
        token = cache.get(_key(review_id)) or "none"
    return token


def _new_token(review_id: int) -> None:
    cache.set(_key(review_id), uuid.uuid4().hex, None)


def report_changed(review_id: int) -> None:
    _new_token(review_id)
    transaction.on_commit(lambda: _new_token(review_id))

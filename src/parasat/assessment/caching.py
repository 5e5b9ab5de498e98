"""A version token per review for what is cached of its self-assessment's
progress (the co-ordinator's dashboard): every change of an assignment, and
every change of an answer's value or state (each goes through the services,
which record it as the assignment's last activity), makes a new token, so a
page kept under the old one is never read again, in any server process.

The token lives in the shared cache and changes when the transaction commits
(after the database's writer lock is let go: a save does not hold other
writers while the cache is written). A page's key is built before its rows are
read, so a request that read the old rows before the commit kept them under
the old token. Until the commit, the changing process adds a mark of its own to
the token: a page drawn in the same transaction (which sees the uncommitted
rows) is kept apart, and a transaction rolled back leaves only an unused mark.

What no token covers — a ministry, a person, an area or a questionnaire
renamed in the administration — shows when the kept page expires (minutes)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import cache
from django.db import models, transaction

# review pk -> a mark of this process's uncommitted change (see above).
_UNCOMMITTED: dict[int, str] = {}


def _key(review_id: int, part: str = "version") -> str:
    return f"assessment:{part}:{review_id}"


def _version(key: str, review_id: int) -> str:
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, None)
        version = cache.get(key) or "none"
    mark = _UNCOMMITTED.get(review_id)
    return f"{version}:{mark}" if mark else version


def assessment_version(review_id: int) -> str:
    """Changes with every change of the review's work (answers and assignments)."""
    return _version(_key(review_id), review_id)


def assignments_version(review_id: int) -> str:
    """Changes with the review's assignments alone (made, reassigned, deleted):
    what the dashboard's filters list (their areas and ministries)."""
    return _version(_key(review_id, "assignments"), review_id)


def _committed(review_id: int, parts: tuple[str, ...]) -> None:
    cache.set_many({_key(review_id, part): uuid.uuid4().hex for part in parts}, None)
    _UNCOMMITTED.pop(review_id, None)


def assessment_changed(review_id: int, *, assignments: bool = False) -> None:
    """A mark of this process now, a new shared token when the transaction
    commits; ``assignments``: the assignments themselves changed too."""
    _UNCOMMITTED[review_id] = uuid.uuid4().hex
    parts = ("version", "assignments") if assignments else ("version",)
    transaction.on_commit(lambda: _committed(review_id, parts))


class ChangesAssessment(models.Model):
    """Saving or deleting a row makes a new token for its review (``review_id``)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        assessment_changed(self.review_id, assignments=True)  # type: ignore[attr-defined]

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        review_id = self.review_id  # type: ignore[attr-defined]
        result = super().delete(*args, **kwargs)
        assessment_changed(review_id, assignments=True)
        return result

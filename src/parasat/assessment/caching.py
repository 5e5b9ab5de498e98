"""A version token per review for what is cached of its self-assessment's
progress (the co-ordinator's dashboard): every change of an assignment, and
every change of an answer's value or state (each goes through the services,
which record it as the assignment's last activity), makes a new token, so a
page kept under the old one is never read again, in any server process. Like
the other tokens it lives in the shared cache and changes again when the
transaction commits: a request may have read the old rows while the change
was not yet committed and kept its page under the token made first.

What no token covers — a ministry, a person, an area or a questionnaire
renamed in the administration — shows when the kept page expires (minutes)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import cache
from django.db import models, transaction


def _key(review_id: int) -> str:
    return f"assessment:version:{review_id}"


def assessment_version(review_id: int) -> str:
    version = cache.get(_key(review_id))
    if version is None:
        cache.add(_key(review_id), uuid.uuid4().hex, None)
        version = cache.get(_key(review_id)) or "none"
    return version


def _new_token(review_id: int) -> None:
    cache.set(_key(review_id), uuid.uuid4().hex, None)


def assessment_changed(review_id: int) -> None:
    """A new token now, and again when the transaction commits."""
    _new_token(review_id)
    transaction.on_commit(lambda: _new_token(review_id))


class ChangesAssessment(models.Model):
    """Saving or deleting a row makes a new token for its review (``review_id``)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        assessment_changed(self.review_id)  # type: ignore[attr-defined]

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        review_id = self.review_id  # type: ignore[attr-defined]
        result = super().delete(*args, **kwargs)
        assessment_changed(review_id)
        return result
